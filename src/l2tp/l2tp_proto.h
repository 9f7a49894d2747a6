/*
 * l2tp_proto.h — RFC 2661 numbers: header bits, message types, AVP types,
 * result and error codes.  Names follow the RFC.
 */
#ifndef VPDN_L2TP_PROTO_H
#define VPDN_L2TP_PROTO_H

#include <stdint.h>

#define L2TP_PORT    1701
#define L2TP_VERSION 2

/* RFC 2661 §3.1 header flag bits (first 16-bit word). */
#define L2TP_HDR_T	  0x8000 /* control message */
#define L2TP_HDR_L	  0x4000 /* Length present */
#define L2TP_HDR_S	  0x0800 /* Ns/Nr present */
#define L2TP_HDR_O	  0x0200 /* Offset Size present */
#define L2TP_HDR_P	  0x0100 /* priority (data only) */
#define L2TP_HDR_VER_MASK 0x000f
/* Bits that RFC 2661 §3.1 reserves "x": must be 0, ignored on receipt. */
#define L2TP_HDR_RESERVED 0x34f0

/* Control header: flags, length, tunnel, session, Ns, Nr (§3.1, §5.8). */
#define L2TP_CTRL_HDR_LEN 12
#define L2TP_CTRL_NS_OFF  8
#define L2TP_CTRL_NR_OFF  10

/* Largest datagram vpdn sends or accepts. */
#define L2TP_MAX_PACKET 65535

/* RFC 2661 §3.2 Message Type AVP values. */
enum l2tp_msg_type {
	L2TP_MSG_ZLB = 0, /* not on the wire: a control msg with no AVPs */
	L2TP_MSG_SCCRQ = 1,
	L2TP_MSG_SCCRP = 2,
	L2TP_MSG_SCCCN = 3,
	L2TP_MSG_STOPCCN = 4,
	/* 5 is reserved */
	L2TP_MSG_HELLO = 6,
	L2TP_MSG_OCRQ = 7,
	L2TP_MSG_OCRP = 8,
	L2TP_MSG_OCCN = 9,
	L2TP_MSG_ICRQ = 10,
	L2TP_MSG_ICRP = 11,
	L2TP_MSG_ICCN = 12,
	/* 13 is reserved */
	L2TP_MSG_CDN = 14,
	L2TP_MSG_WEN = 15,
	L2TP_MSG_SLI = 16,
};
#define L2TP_MSG_TYPE_MAX 16

/* RFC 2661 §4.4 AVP attribute types (Vendor ID 0). */
enum l2tp_avp_type {
	L2TP_AVP_MESSAGE_TYPE = 0,
	L2TP_AVP_RESULT_CODE = 1,
	L2TP_AVP_PROTOCOL_VERSION = 2,
	L2TP_AVP_FRAMING_CAP = 3,
	L2TP_AVP_BEARER_CAP = 4,
	L2TP_AVP_TIE_BREAKER = 5,
	L2TP_AVP_FIRMWARE_REVISION = 6,
	L2TP_AVP_HOST_NAME = 7,
	L2TP_AVP_VENDOR_NAME = 8,
	L2TP_AVP_ASSIGNED_TUNNEL_ID = 9,
	L2TP_AVP_RECEIVE_WINDOW_SIZE = 10,
	L2TP_AVP_CHALLENGE = 11,
	L2TP_AVP_Q931_CAUSE = 12,
	L2TP_AVP_CHALLENGE_RESPONSE = 13,
	L2TP_AVP_ASSIGNED_SESSION_ID = 14,
	L2TP_AVP_CALL_SERIAL_NUMBER = 15,
	L2TP_AVP_MIN_BPS = 16,
	L2TP_AVP_MAX_BPS = 17,
	L2TP_AVP_BEARER_TYPE = 18,
	L2TP_AVP_FRAMING_TYPE = 19,
	/* 20 is unused */
	L2TP_AVP_CALLED_NUMBER = 21,
	L2TP_AVP_CALLING_NUMBER = 22,
	L2TP_AVP_SUB_ADDRESS = 23,
	L2TP_AVP_TX_CONNECT_SPEED = 24,
	L2TP_AVP_PHYSICAL_CHANNEL_ID = 25,
	L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ = 26,
	L2TP_AVP_LAST_SENT_LCP_CONFREQ = 27,
	L2TP_AVP_LAST_RCVD_LCP_CONFREQ = 28,
	L2TP_AVP_PROXY_AUTHEN_TYPE = 29,
	L2TP_AVP_PROXY_AUTHEN_NAME = 30,
	L2TP_AVP_PROXY_AUTHEN_CHALLENGE = 31,
	L2TP_AVP_PROXY_AUTHEN_ID = 32,
	L2TP_AVP_PROXY_AUTHEN_RESPONSE = 33,
	L2TP_AVP_CALL_ERRORS = 34,
	L2TP_AVP_ACCM = 35,
	L2TP_AVP_RANDOM_VECTOR = 36,
	L2TP_AVP_PRIVATE_GROUP_ID = 37,
	L2TP_AVP_RX_CONNECT_SPEED = 38,
	L2TP_AVP_SEQUENCING_REQUIRED = 39,
};
#define L2TP_AVP_TYPE_MAX 39

/* RFC 2661 §4.1 AVP header bits. */
#define L2TP_AVP_M	  0x8000
#define L2TP_AVP_H	  0x4000
#define L2TP_AVP_RESERVED 0x3c00
#define L2TP_AVP_LEN_MASK 0x03ff
#define L2TP_AVP_HDR_LEN  6

/* RFC 2661 §4.4.2 Result Code values for StopCCN. */
enum l2tp_stopccn_result {
	L2TP_STOPCCN_GENERAL =
	    1, /* general request to clear control connection */
	L2TP_STOPCCN_ERROR = 2,	 /* general error, Error Code indicates */
	L2TP_STOPCCN_EXISTS = 3, /* control channel already exists */
	L2TP_STOPCCN_NOT_AUTHORIZED = 4,
	L2TP_STOPCCN_BAD_VERSION =
	    5,			    /* error code = highest version supported */
	L2TP_STOPCCN_SHUTDOWN = 6,  /* requester is being shut down */
	L2TP_STOPCCN_FSM_ERROR = 7, /* finite state machine error */
};
#define L2TP_STOPCCN_NCODES 8 /* 0 (reserved) .. 7 */

/* RFC 2661 §4.4.2 Result Code values for CDN. */
enum l2tp_cdn_result {
	L2TP_CDN_LOST_CARRIER = 1,
	L2TP_CDN_ERROR = 2,	   /* general error, Error Code indicates */
	L2TP_CDN_ADMIN = 3,	   /* disconnected for administrative reasons */
	L2TP_CDN_NO_RESOURCES = 4, /* temporary lack of facilities */
	L2TP_CDN_NO_RESOURCES_PERM = 5,
	L2TP_CDN_INVALID_DEST = 6,
	L2TP_CDN_NO_CARRIER = 7,
	L2TP_CDN_BUSY = 8,
	L2TP_CDN_NO_DIAL_TONE = 9,
	L2TP_CDN_TIMEOUT = 10,	   /* call not established within time */
	L2TP_CDN_BAD_FRAMING = 11, /* no appropriate framing detected */
};
#define L2TP_CDN_NCODES 12 /* 0 (reserved) .. 11 */

/* RFC 2661 §4.4.2 General Error Codes. */
enum l2tp_error_code {
	L2TP_ERR_NONE = 0,
	L2TP_ERR_NO_CONTROL_CONNECTION = 1,
	L2TP_ERR_BAD_LENGTH = 2, /* length is wrong */
	L2TP_ERR_BAD_VALUE =
	    3, /* a field was out of range / reserved non-zero */
	L2TP_ERR_NO_RESOURCES = 4,
	L2TP_ERR_BAD_SESSION_ID = 5, /* the Session ID is invalid here */
	L2TP_ERR_VENDOR = 6,	     /* generic vendor-specific error */
	L2TP_ERR_TRY_ANOTHER = 7,
	L2TP_ERR_UNKNOWN_M_AVP = 8, /* unknown mandatory AVP: shut down */
};

/* RFC 2661 §4.4.3 Framing Capabilities / Framing Type bits. */
#define L2TP_FRAMING_SYNC   0x00000001
#define L2TP_FRAMING_ASYNC  0x00000002
/* RFC 2661 §4.4.3 Bearer Capabilities / Bearer Type bits. */
#define L2TP_BEARER_DIGITAL 0x00000001
#define L2TP_BEARER_ANALOG  0x00000002

/* RFC 2661 §4.4.5 Proxy Authen Type values. */
enum l2tp_proxy_authen_type {
	L2TP_PROXY_AUTH_RESERVED = 0,
	L2TP_PROXY_AUTH_TEXT = 1, /* textual username/password exchange */
	L2TP_PROXY_AUTH_CHAP = 2, /* PPP CHAP */
	L2TP_PROXY_AUTH_PAP = 3,  /* PPP PAP */
	L2TP_PROXY_AUTH_NONE = 4,
	L2TP_PROXY_AUTH_MSCHAPV1 = 5,
};

#endif
