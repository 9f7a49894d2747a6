/*
 * challenge.h — RFC 2661 §5.1.1 tunnel authentication (CHAP-like).
 *
 * response = MD5(msg_type_byte || secret || challenge), where msg_type_byte
 * is the Message Type of the message that carries the Challenge Response
 * (2 for SCCRP, 3 for SCCCN).
 */
#ifndef VPDN_L2TP_CHALLENGE_H
#define VPDN_L2TP_CHALLENGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "l2tp/msg.h"

void l2tp_challenge_response(uint8_t msg_type, const struct l2tp_secret *secret,
    const uint8_t *challenge, size_t challenge_len, uint8_t out[16]);
/* Constant-time comparison of a received response with the expected one. */
bool l2tp_challenge_verify(uint8_t msg_type, const struct l2tp_secret *secret,
    const uint8_t *challenge, size_t challenge_len, const uint8_t response[16]);

#endif
