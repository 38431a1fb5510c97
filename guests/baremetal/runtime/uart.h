/* PL011 UART, polled output only. */
#ifndef BM_UART_H
#define BM_UART_H
#include "rt.h"

void uart_init(void);
void uart_putc(char c);
void uart_flush(void);       /* wait (bounded) until the transmitter is idle */
void put_str(const char *s);
void put_hex(u64 v);         /* 0x followed by minimal hex digits */
void put_hexw(u64 v, int digits); /* 0x followed by exactly `digits` digits */
void put_dec(u64 v);
void put_sdec(s64 v);
void put_nl(void);
/* print helpers: "<label><value>" */
void put_kv_hex(const char *label, u64 v);
void put_kv_dec(const char *label, u64 v);

#endif
