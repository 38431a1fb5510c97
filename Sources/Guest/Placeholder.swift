enum GuestPlaceholder {}
