/* vsock.h: the AF_VSOCK address, as the kernel defines it.
 *
 * musl ships no <linux/vm_sockets.h> and musl-gcc does not search the
 * kernel's headers, so the few definitions used here are written out; they
 * are the kernel's stable ABI (include/uapi/linux/vm_sockets.h).
 */
#ifndef VSOCK_H
#define VSOCK_H

#include <sys/socket.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

#define VSOCK_CID_ANY 0xFFFFFFFFu /* VMADDR_CID_ANY: bind to every CID */
#define VSOCK_CID_LOCAL 1u        /* VMADDR_CID_LOCAL: this machine (loopback) */
#define VSOCK_CID_HOST 2u         /* VMADDR_CID_HOST */
#define VSOCK_CID_PARENT 3u       /* the parent instance, seen from a Nitro Enclave */
#define VSOCK_PORT_ANY 0xFFFFFFFFu

struct vsock_addr {
	sa_family_t svm_family; /* AF_VSOCK */
	unsigned short svm_reserved1;
	unsigned int svm_port;
	unsigned int svm_cid;
	unsigned char svm_flags;
	unsigned char svm_zero[3];
};

_Static_assert(sizeof(struct vsock_addr) == 16, "struct sockaddr_vm is 16 bytes");

#endif
