#ifndef WEFT_CRC32C_H
#define WEFT_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU computes CRC-32C in hardware (x86-64 SSE 4.2 or ARMv8 CRC); checked once.
int weft_crc32c_hardware_available(void);

/// Continues a CRC-32C over `count` bytes in hardware. `crc` is the running register value (already
/// inverted by the caller); the result is the new register value. Only call it when
/// `weft_crc32c_hardware_available()` returned 1.
uint32_t weft_crc32c_hardware(uint32_t crc, const uint8_t *bytes, size_t count);

#endif
