// CRC-32C (Castagnoli) with the CPU's CRC instructions: SSE 4.2 `crc32` on x86-64, the ARMv8 CRC
// extension on arm64. Swift's CRC32C (module Raft) uses it when available and its own tables otherwise.

#include "weft_crc32c.h"

#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>

int weft_crc32c_hardware_available(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    return (ecx & bit_SSE4_2) != 0;
}

__attribute__((target("sse4.2")))
uint32_t weft_crc32c_hardware(uint32_t crc, const uint8_t *bytes, size_t count) {
    uint64_t value = crc;
    while (count >= 8) {
        uint64_t word;
        memcpy(&word, bytes, 8);
        value = __builtin_ia32_crc32di(value, word);
        bytes += 8;
        count -= 8;
    }
    uint32_t result = (uint32_t)value;
    while (count > 0) {
        result = __builtin_ia32_crc32qi(result, *bytes);
        bytes += 1;
        count -= 1;
    }
    return result;
}

#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#include <asm/hwcap.h>

int weft_crc32c_hardware_available(void) {
    return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0;
}

__attribute__((target("crc")))
uint32_t weft_crc32c_hardware(uint32_t crc, const uint8_t *bytes, size_t count) {
    while (count >= 8) {
        uint64_t word;
        memcpy(&word, bytes, 8);
        crc = __builtin_arm_crc32cd(crc, word);
        bytes += 8;
        count -= 8;
    }
    while (count > 0) {
        crc = __builtin_arm_crc32cb(crc, *bytes);
        bytes += 1;
        count -= 1;
    }
    return crc;
}

#else

int weft_crc32c_hardware_available(void) { return 0; }

uint32_t weft_crc32c_hardware(uint32_t crc, const uint8_t *bytes, size_t count) {
    (void)bytes;
    (void)count;
    return crc;
}

#endif
