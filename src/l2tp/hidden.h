/*
 * hidden.h — RFC 2661 §4.3 hidden AVPs.
 *
 * The value is prefixed with a 2-byte original length, padded, and XORed
 * with an MD5 stream: b1 = MD5(type(2) || secret || RV), b(i) = MD5(secret ||
 * c(i-1)), where RV is the last Random Vector AVP before this AVP and c(i-1)
 * the previous 16 bytes of ciphertext.
 */
#ifndef VPDN_L2TP_HIDDEN_H
#define VPDN_L2TP_HIDDEN_H

#include <stddef.h>
#include <stdint.h>

#include "l2tp/msg.h"

/* Hides value[0..len) for AVP `type`; writes 2 + len + pad bytes to out and
 * returns that count (pad chosen so the total is a multiple of 16, at most
 * cap).  Returns 0 if cap is too small. */
size_t l2tp_hidden_encrypt(uint16_t type, const struct l2tp_secret *secret,
    const uint8_t *rv, size_t rv_len, const uint8_t *value, size_t len,
    uint8_t *out, size_t cap);
/* Reveals a hidden value in place of out; returns the original length, or
 * -1 if the embedded length exceeds what was received. */
int l2tp_hidden_decrypt(uint16_t type, const struct l2tp_secret *secret,
    const uint8_t *rv, size_t rv_len, const uint8_t *in, size_t in_len,
    uint8_t *out);

#endif
