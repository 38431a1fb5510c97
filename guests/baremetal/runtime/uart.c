#include "uart.h"

#define UART_DR 0x000
#define UART_FR 0x018
#define UART_CR 0x030
#define FR_TXFF (1u << 5)
#define FR_BUSY (1u << 3)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)

void uart_init(void) {
    /* Enable the UART and its transmitter (the PL011 reset value of
     * UARTCR has TXE/RXE set but UARTEN clear). Baud rate and line
     * control are left alone: they do not matter to an emulator. */
    mmio_write32(VIRT_UART_BASE + UART_CR, CR_UARTEN | CR_TXE | CR_RXE);
}

void uart_putc(char c) {
    /* wait while the transmit FIFO is full; bounded so a broken model
     * cannot hang the image (the character is then written anyway) */
    for (u64 i = 0; i < 10000000UL; i++)
        if (!(mmio_read32(VIRT_UART_BASE + UART_FR) & FR_TXFF))
            break;
    mmio_write32(VIRT_UART_BASE + UART_DR, (u8)c);
}

void uart_flush(void) {
    for (u64 i = 0; i < 10000000UL; i++)
        if (!(mmio_read32(VIRT_UART_BASE + UART_FR) & FR_BUSY))
            break;
}

void put_str(const char *s) {
    while (*s)
        uart_putc(*s++);
}

void put_nl(void) { uart_putc('\n'); }

void put_hexw(u64 v, int digits) {
    uart_putc('0');
    uart_putc('x');
    for (int i = digits - 1; i >= 0; i--)
        uart_putc("0123456789abcdef"[(v >> (4 * i)) & 0xf]);
}

void put_hex(u64 v) {
    int digits = 1;
    while (digits < 16 && (v >> (4 * digits)))
        digits++;
    put_hexw(v, digits);
}

void put_dec(u64 v) {
    char buf[24];
    int n = 0;
    do {
        buf[n++] = '0' + v % 10;
        v /= 10;
    } while (v);
    while (n)
        uart_putc(buf[--n]);
}

void put_sdec(s64 v) {
    if (v < 0) {
        uart_putc('-');
        put_dec((u64)0 - (u64)v);
    } else {
        put_dec((u64)v);
    }
}

void put_kv_hex(const char *label, u64 v) {
    put_str(label);
    put_hex(v);
}

void put_kv_dec(const char *label, u64 v) {
    put_str(label);
    put_dec(v);
}
