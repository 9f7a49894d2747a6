/*
 * ppp_proto.h — PPP numbers: protocol field values (RFC 1661 §2, RFC 1332,
 * RFC 5072, RFC 1334, RFC 1994), control protocol codes (RFC 1661 §5) and
 * option types (RFC 1661 §6, RFC 1332 §3, RFC 1877, RFC 5072 §4).
 */
#ifndef VPDN_PPP_PROTO_H
#define VPDN_PPP_PROTO_H

/* RFC 1662 §3.1: HDLC-like framing's Address and Control, which PPP over
 * L2TP and PPPoE carry unless ACFC was negotiated (we always accept both). */
#define PPP_ALLSTATIONS 0xff
#define PPP_UI		0x03

#define PPP_PROTO_IP	 0x0021
#define PPP_PROTO_IPV6	 0x0057
#define PPP_PROTO_IPCP	 0x8021
#define PPP_PROTO_IPV6CP 0x8057
#define PPP_PROTO_LCP	 0xc021
#define PPP_PROTO_PAP	 0xc023
#define PPP_PROTO_CHAP	 0xc223

/* RFC 1661 §5 control protocol codes (LCP uses all; NCPs use 1-7). */
enum ppp_code {
	PPP_CONF_REQ = 1,
	PPP_CONF_ACK = 2,
	PPP_CONF_NAK = 3,
	PPP_CONF_REJ = 4,
	PPP_TERM_REQ = 5,
	PPP_TERM_ACK = 6,
	PPP_CODE_REJ = 7,
	PPP_PROTO_REJ = 8, /* LCP only */
	PPP_ECHO_REQ = 9,  /* LCP only */
	PPP_ECHO_REP = 10, /* LCP only */
	PPP_DISC_REQ = 11, /* LCP only */
};

/* RFC 1661 §6 LCP options (RFC 1570 adds more; unknown ones are rejected). */
enum lcp_opt {
	LCP_OPT_MRU = 1,
	LCP_OPT_ACCM = 2, /* RFC 1662; meaningless on sync links */
	LCP_OPT_AUTH_PROTO = 3,
	LCP_OPT_QUALITY_PROTO = 4,
	LCP_OPT_MAGIC = 5,
	LCP_OPT_PFC = 7,
	LCP_OPT_ACFC = 8,
};

/* RFC 1332 §3 / RFC 1877 IPCP options. */
enum ipcp_opt {
	IPCP_OPT_ADDRESSES = 1,	  /* deprecated, rejected */
	IPCP_OPT_COMPRESSION = 2, /* VJ: rejected (not implemented) */
	IPCP_OPT_ADDRESS = 3,
	IPCP_OPT_PRIMARY_DNS = 129,
	IPCP_OPT_PRIMARY_NBNS = 130,
	IPCP_OPT_SECONDARY_DNS = 131,
	IPCP_OPT_SECONDARY_NBNS = 132,
};

/* RFC 5072 §4 IPv6CP options. */
enum ipv6cp_opt {
	IPV6CP_OPT_INTERFACE_ID = 1,
	IPV6CP_OPT_COMPRESSION = 2,
};

/* RFC 1994 §4 CHAP codes, algorithm 5 = MD5; RFC 2759: algorithm 0x81. */
#define CHAP_CHALLENGE	  1
#define CHAP_RESPONSE	  2
#define CHAP_SUCCESS	  3
#define CHAP_FAILURE	  4
#define CHAP_ALG_MD5	  5
#define CHAP_ALG_MSCHAPV2 0x81

/* RFC 1334 §2.2 PAP codes. */
#define PAP_AUTH_REQ 1
#define PAP_AUTH_ACK 2
#define PAP_AUTH_NAK 3

#endif
