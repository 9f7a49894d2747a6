/* random.h — cryptographically strong randomness from getrandom(2), used for
 * tunnel/session IDs, challenges, tie-breakers and magic numbers. */
#ifndef VPDN_CORE_RANDOM_H
#define VPDN_CORE_RANDOM_H

#include <stddef.h>
#include <stdint.h>

void random_bytes(void *buf, size_t len);
uint16_t random_u16(void);
uint32_t random_u32(void);

#endif
