/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * jmgpu firmware interface, version 1.3.
 *
 * The one definition of the jmgpu hardware/firmware contract: PCI IDs,
 * register maps of the PF and VF BARs, the PF <-> firmware mailbox protocol
 * (commands, status codes, message layouts, limits, version negotiation),
 * the engine job descriptor and the asynchronous event records.
 *
 * Used unchanged by the QEMU device model (emulator/), the kernel drivers
 * (pf_driver/, vf_mdev/) and the userspace tests. All multi-byte fields of
 * wire structures are little-endian. Registers are 32-bit, little-endian,
 * accessed with aligned 32-bit loads and stores unless stated otherwise.
 *
 * The specification in prose is Documentation/firmware-interface.rst and
 * Documentation/hardware-model.rst.
 */
#ifndef JMGPU_FW_IFACE_H
#define JMGPU_FW_IFACE_H

#include <linux/types.h>

/* ------------------------------------------------------------------ */
/* PCI identity                                                        */
/* ------------------------------------------------------------------ */
#define JMGPU_PCI_VENDOR_ID		0x1ee7
#define JMGPU_PCI_DEVICE_ID_PF		0x0001
#define JMGPU_PCI_DEVICE_ID_VF		0x0002
#define JMGPU_PCI_SUBSYS_VENDOR_ID	0x1ee7
#define JMGPU_PCI_SUBSYS_ID		0x0001
#define JMGPU_PCI_REVISION		0x01
/* class code 0x030200: display controller, 3D controller */
#define JMGPU_PCI_CLASS			0x0302

#define JMGPU_MAX_VFS			32	/* SR-IOV TotalVFs */
#define JMGPU_VF_OFFSET			1
#define JMGPU_VF_STRIDE			1

/* BAR numbers (PF and VF alike) */
#define JMGPU_BAR_REGS			0	/* 32-bit MMIO, registers */
#define JMGPU_BAR_FB			2	/* 64-bit prefetchable MMIO, FB */
#define JMGPU_BAR_MSIX			4	/* 32-bit MMIO, MSI-X table+PBA */

#define JMGPU_PF_BAR0_SIZE		0x10000	/* 64 KiB */
#define JMGPU_VF_BAR0_SIZE		0x4000	/* 16 KiB */

#define JMGPU_PF_MSIX_VECTORS		2
#define JMGPU_PF_MSIX_MBOX		0	/* mailbox completion */
#define JMGPU_PF_MSIX_EVENT		1	/* event queue not empty */
#define JMGPU_VF_MSIX_VECTORS		2
#define JMGPU_VF_MSIX_ENGINE		0	/* job done / engine fault */
#define JMGPU_VF_MSIX_MSG		1	/* PF-to-VF message */

/* ------------------------------------------------------------------ */
/* PF BAR0 register map                                                */
/* ------------------------------------------------------------------ */
#define JMGPU_PF_MAGIC			0x000	/* RO: JMGPU_MAGIC */
#define JMGPU_PF_HW_REV			0x004	/* RO: hardware revision */
#define JMGPU_PF_FW_IFACE_VERSION	0x008	/* RO: major << 16 | minor */
#define JMGPU_PF_CAPS			0x00c	/* RO: JMGPU_CAP_* bits */
#define JMGPU_PF_STATUS			0x010	/* RO: JMGPU_PF_STATUS_* */
#define JMGPU_PF_CONTROL		0x014	/* WO: JMGPU_PF_CONTROL_* */
#define JMGPU_PF_HEARTBEAT		0x018	/* RO: +1 per heartbeat period */
#define JMGPU_PF_HEARTBEAT_PERIOD_US	0x01c	/* RO: heartbeat period, us */
#define JMGPU_PF_INT_STATUS		0x020	/* RW1C: JMGPU_PF_INT_* */
#define JMGPU_PF_INT_MASK		0x024	/* RW: 1 = source enabled */
#define JMGPU_PF_FB_SIZE_LO		0x028	/* RO: VRAM size, bytes */
#define JMGPU_PF_FB_SIZE_HI		0x02c
#define JMGPU_PF_EVQ_HEAD		0x040	/* RO: producer index (fw) */
#define JMGPU_PF_EVQ_TAIL		0x044	/* RW: consumer index (driver) */
#define JMGPU_PF_EVQ_OVERFLOW		0x048	/* RO: events lost, counter */

#define JMGPU_PF_MBOX_DOORBELL		0x100	/* WO: write 1 to submit */
#define JMGPU_PF_MBOX_STATUS		0x104	/* RO: JMGPU_MBOX_STATUS_* */
#define JMGPU_PF_MBOX_REQ		0x1000	/* request buffer */
#define JMGPU_PF_MBOX_RESP		0x2000	/* response buffer */
#define JMGPU_MBOX_SIZE			0x1000	/* each buffer, bytes */

#define JMGPU_PF_EVQ			0x3000	/* event ring */
#define JMGPU_EVQ_ENTRIES		64	/* power of two */

/*
 * Test-only fault injection block. Production drivers never touch it; it
 * is writable only after JMGPU_TEST_UNLOCK_KEY is written to
 * JMGPU_PF_TEST_UNLOCK. Each write of JMGPU_PF_TEST_FAULT arms the fault
 * named by the low byte (JMGPU_FAULT_*); JMGPU_PF_TEST_FAULT_ARG selects
 * the VF (engine hang, DMA error) or the corruption kind (corrupt reply).
 */
#define JMGPU_PF_TEST_UNLOCK		0x4000
#define JMGPU_PF_TEST_FAULT_ARG		0x4004
#define JMGPU_PF_TEST_FAULT		0x4008	/* WO: arm; RO: armed mask */
/*
 * RW: interface version (major << 16 | minor) the firmware reports in
 * JMGPU_PF_FW_IFACE_VERSION and the HELLO reply instead of its own; 0 =
 * no override. Sticky: survives firmware and PCI resets of the PF until
 * 0 is written (tests arm it with the driver unbound, then bind).
 */
#define JMGPU_PF_TEST_FW_VERSION	0x400c
/*
 * RW: 0, or the opcode (JMGPU_CMD_*) of the request that the armed reply
 * faults (drop, corrupt, firmware restart) wait for; requests with other
 * opcodes are answered normally meanwhile. Cleared when such a fault fires and by
 * firmware and PCI resets.
 */
#define JMGPU_PF_TEST_FAULT_OPCODE	0x4010
/*
 * RW: how many requests the armed reply fault (drop, corrupt, firmware
 * restart) lets pass before it fires: 0 = the next matching request, k =
 * the (k+1)-th. Only requests that match JMGPU_PF_TEST_FAULT_OPCODE (any
 * when it is 0) count. Cleared like JMGPU_PF_TEST_FAULT_OPCODE, except
 * with JMGPU_FAULT_SKIP_KEEP set: then the armed reply fault, its opcode
 * and count survive firmware resets (PF CONTROL.RESET, not PCI resets)
 * until it fires, so that it can hit the requests of a driver's recovery.
 */
#define JMGPU_PF_TEST_FAULT_SKIP	0x4014
#define JMGPU_FAULT_SKIP_KEEP		(1u << 31)
/*
 * RW: the next N VF event records are lost on their way into the ring (as
 * with a firmware that has no per-VF accounting) and counted in
 * EVQ_OVERFLOW, so a test can make the driver resynchronise. Cleared by
 * firmware and PCI resets.
 */
#define JMGPU_PF_TEST_EVQ_DROP		0x4040
#define JMGPU_TEST_UNLOCK_KEY		0x7e577e57

#define JMGPU_FAULT_FW_HANG		1	/* fw stops: no replies, no heartbeat */
#define JMGPU_FAULT_DROP_REPLY		2	/* next request gets no reply */
#define JMGPU_FAULT_CORRUPT_REPLY	3	/* next reply corrupted (ARG kind) */
#define JMGPU_FAULT_ENGINE_HANG		4	/* engine of VF ARG stops */
#define JMGPU_FAULT_DMA_ERROR		5	/* next DMA of VF ARG fails */
#define JMGPU_FAULT_FW_RESET		6	/* fw restarts on next request */
#define JMGPU_FAULT_MAX			6

/* JMGPU_FAULT_CORRUPT_REPLY kinds (JMGPU_PF_TEST_FAULT_ARG) */
#define JMGPU_CORRUPT_SEQ		0	/* wrong sequence number */
#define JMGPU_CORRUPT_OPCODE		1	/* wrong opcode echoed */
#define JMGPU_CORRUPT_LEN		2	/* length wrong for opcode */
#define JMGPU_CORRUPT_STATUS		3	/* undefined status code */
#define JMGPU_CORRUPT_PAYLOAD		4	/* a payload field out of range */
#define JMGPU_CORRUPT_RESERVED		5	/* reserved header field set */
#define JMGPU_CORRUPT_MAX		5

#define JMGPU_MAGIC			0x504d474a	/* "JGMP" LE bytes */
#define JMGPU_HW_REV			0x00010000

#define JMGPU_CAP_SRIOV			(1u << 0)
#define JMGPU_CAP_COPY_ENGINE		(1u << 1)
#define JMGPU_CAP_DISPLAY		(1u << 2)
#define JMGPU_CAP_CODEC			(1u << 3)
#define JMGPU_CAP_FAULT_INJECT		(1u << 4)

#define JMGPU_PF_STATUS_FW_READY	(1u << 0)	/* fw accepts requests */
#define JMGPU_PF_STATUS_FW_HALTED	(1u << 1)	/* fw stopped (hang) */
#define JMGPU_PF_STATUS_RESETTING	(1u << 2)

#define JMGPU_PF_CONTROL_RESET		(1u << 0)	/* reset fw + all VFs */

#define JMGPU_PF_INT_MBOX		(1u << 0)
#define JMGPU_PF_INT_EVENT		(1u << 1)

#define JMGPU_MBOX_STATUS_IDLE		0	/* no request outstanding */
#define JMGPU_MBOX_STATUS_BUSY		1	/* request being processed */
#define JMGPU_MBOX_STATUS_DONE		2	/* response is valid */

/* ------------------------------------------------------------------ */
/* VF BAR0 register map                                                */
/* ------------------------------------------------------------------ */
#define JMGPU_VF_ID			0x000	/* RO: VF index, 0-based */
#define JMGPU_VF_STATUS			0x004	/* RO: JMGPU_VF_STATUS_* */
#define JMGPU_VF_FB_SIZE_LO		0x008	/* RO: provisioned slice size */
#define JMGPU_VF_FB_SIZE_HI		0x00c
#define JMGPU_VF_MAX_WIDTH		0x010	/* RO: provisioned display */
#define JMGPU_VF_MAX_HEIGHT		0x014
#define JMGPU_VF_CODEC_SESSIONS		0x018	/* RO */
#define JMGPU_VF_ENGINE_WEIGHT		0x01c	/* RO */

#define JMGPU_VF_RING_BASE_LO		0x100	/* RW: ring address */
#define JMGPU_VF_RING_BASE_HI		0x104
#define JMGPU_VF_RING_SIZE		0x108	/* RW: entries, power of 2 */
#define JMGPU_VF_RING_CTRL		0x10c	/* RW: JMGPU_RING_CTRL_* */
#define JMGPU_VF_RING_HEAD		0x110	/* RO: next entry to run */
#define JMGPU_VF_RING_TAIL		0x114	/* RO: last doorbell value */
#define JMGPU_VF_DOORBELL		0x118	/* WO: new tail index */
#define JMGPU_VF_FENCE_ADDR_LO		0x120	/* RW: fence write-back */
#define JMGPU_VF_FENCE_ADDR_HI		0x124
#define JMGPU_VF_FENCE_VALUE_LO		0x128	/* RO: last completed fence */
#define JMGPU_VF_FENCE_VALUE_HI		0x12c
#define JMGPU_VF_INT_STATUS		0x140	/* RW1C: JMGPU_VF_INT_* */
#define JMGPU_VF_INT_MASK		0x144	/* RW: 1 = source enabled */
#define JMGPU_VF_FAULT_STATUS		0x150	/* RO: JMGPU_FAULT_CODE_* */
#define JMGPU_VF_FAULT_ADDR_LO		0x154	/* RO: faulting address */
#define JMGPU_VF_FAULT_ADDR_HI		0x158

#define JMGPU_VF_SCANOUT_ENABLE		0x200	/* RW: 1 = plane enabled */
#define JMGPU_VF_SCANOUT_BASE_LO	0x204	/* RW: offset in VF FB */
#define JMGPU_VF_SCANOUT_BASE_HI	0x208
#define JMGPU_VF_SCANOUT_WIDTH		0x20c	/* RW: pixels */
#define JMGPU_VF_SCANOUT_HEIGHT		0x210	/* RW: lines */
#define JMGPU_VF_SCANOUT_STRIDE		0x214	/* RW: bytes per line */
#define JMGPU_VF_SCANOUT_FORMAT		0x218	/* RW: DRM fourcc */
#define JMGPU_VF_SCANOUT_STATUS		0x21c	/* RO: JMGPU_SCANOUT_* */
/*
 * Display, from interface 1.3 on. SCANOUT_ENABLE..FORMAT above are the
 * *pending* plane: writing them changes nothing on screen. A write of 1
 * to SCANOUT_COMMIT checks the pending plane (format, size against the
 * VF's MAX_WIDTH/MAX_HEIGHT, stride, base alignment and slice) and sets
 * SCANOUT_STATUS to the result at once. A plane that passes becomes the
 * *active* plane at the next vblank (JMGPU_REFRESH_HZ, virtual time):
 * SCANOUT_GEN then moves on and JMGPU_VF_INT_FLIP_DONE is raised. One
 * that fails leaves the active plane (and any flip already queued) as it
 * was. A commit while a flip is queued replaces it. The ACTIVE registers
 * are what the display engine scans out; a reader that wants a
 * consistent plane reads SCANOUT_GEN, the ACTIVE registers, then
 * SCANOUT_GEN again, and retries when it moved. VF FLR and VF reset
 * disable the active plane (SCANOUT_GEN moves).
 */
#define JMGPU_VF_SCANOUT_COMMIT		0x220	/* WO: 1 = check + queue flip */
#define JMGPU_VF_SCANOUT_GEN		0x224	/* RO: +1 per active change */
#define JMGPU_VF_VBLANK_COUNT		0x228	/* RO: vblanks since VF reset */
#define JMGPU_VF_ACTIVE_ENABLE		0x230	/* RO: active plane ... */
#define JMGPU_VF_ACTIVE_BASE_LO		0x234
#define JMGPU_VF_ACTIVE_BASE_HI		0x238
#define JMGPU_VF_ACTIVE_WIDTH		0x23c
#define JMGPU_VF_ACTIVE_HEIGHT		0x240
#define JMGPU_VF_ACTIVE_STRIDE		0x244
#define JMGPU_VF_ACTIVE_FORMAT		0x248
/*
 * The virtual monitor, set by the host with VF_SET_DISPLAY: DISPLAY_LINK
 * says whether one is connected, DISPLAY_EDID_SIZE how many bytes of its
 * EDID the read-only EDID window holds (the rest reads 0), DISPLAY_GEN
 * moves on every VF_SET_DISPLAY that changes link or EDID, which also
 * raises JMGPU_VF_INT_DISPLAY. VF FLR and VF reset keep the monitor (it
 * is the host's); VF_UNPROVISION disconnects it.
 */
#define JMGPU_VF_DISPLAY_LINK		0x260	/* RO: 1 = monitor connected */
#define JMGPU_VF_DISPLAY_EDID_SIZE	0x264	/* RO: bytes in EDID window */
#define JMGPU_VF_DISPLAY_GEN		0x268	/* RO: +1 per monitor change */
#define JMGPU_VF_EDID			0x800	/* RO: EDID window, 32-bit reads */
#define JMGPU_VF_EDID_MAX		512	/* bytes: base block + 3 ext */

#define JMGPU_REFRESH_HZ		60	/* modelled vblank rate */
#define JMGPU_SCANOUT_BASE_ALIGN	4096	/* active base alignment */

#define JMGPU_VF_MSG_OUT		0x300	/* RW: 4 dwords VF -> PF */
#define JMGPU_VF_MSG_OUT_DOORBELL	0x310	/* WO: send */
#define JMGPU_VF_MSG_OUT_STATUS		0x314	/* RO: JMGPU_VF_MSG_OUT_* */
#define JMGPU_VF_MSG_OUT_DROPPED	0x318	/* RO: doorbells dropped (BUSY) */
#define JMGPU_VF_MSG_IN			0x320	/* RO: 4 dwords PF -> VF */
#define JMGPU_VF_MSG_DWORDS		4

#define JMGPU_VF_STATUS_PROVISIONED	(1u << 0)
#define JMGPU_VF_STATUS_ENGINE_BUSY	(1u << 1)
#define JMGPU_VF_STATUS_ENGINE_FAULT	(1u << 2)	/* stopped on fault */
#define JMGPU_VF_STATUS_ENABLED		(1u << 3)	/* VF context set up */

/*
 * VF -> PF messages are one-in-flight: a doorbell sets BUSY; the PF clears
 * it with VF_MSG_ACK or VF_MSG_REPLY. A doorbell while BUSY is dropped
 * (counted in MSG_OUT_DROPPED) and posts nothing.
 */
#define JMGPU_VF_MSG_OUT_BUSY		(1u << 0)

#define JMGPU_RING_CTRL_ENABLE		(1u << 0)
#define JMGPU_RING_CTRL_IN_FB		(1u << 1)	/* ring in VF FB slice */
#define JMGPU_RING_CTRL_FENCE_IN_FB	(1u << 2)	/* fence addr in FB */

#define JMGPU_VF_INT_JOB_DONE		(1u << 0)
#define JMGPU_VF_INT_FAULT		(1u << 1)
#define JMGPU_VF_INT_MSG		(1u << 2)
#define JMGPU_VF_INT_DISPLAY		(1u << 3)	/* monitor changed (1.3) */
#define JMGPU_VF_INT_FLIP_DONE		(1u << 4)	/* flip latched (1.3) */
#define JMGPU_VF_INT_VBLANK		(1u << 5)	/* every vblank (1.3) */
#define JMGPU_VF_INT_ALL		0x3f
/* MSI-X: JOB_DONE, FAULT on JMGPU_VF_MSIX_ENGINE; the others on _MSG */

/* SCANOUT_STATUS: the last commit's result */
#define JMGPU_SCANOUT_OK		0
#define JMGPU_SCANOUT_BAD_GEOMETRY	1	/* width/height 0 or over max */
#define JMGPU_SCANOUT_BAD_FORMAT	2	/* fourcc the plane lacks */
#define JMGPU_SCANOUT_BAD_STRIDE	3	/* < width * bpp or unaligned */
#define JMGPU_SCANOUT_BAD_BASE		4	/* unaligned or plane past slice */
#define JMGPU_SCANOUT_NO_DISPLAY	5	/* VF provisioned without heads */

#define JMGPU_FAULT_CODE_NONE		0
#define JMGPU_FAULT_CODE_DMA		1	/* DMA to/from guest failed */
#define JMGPU_FAULT_CODE_FB_RANGE	2	/* FB access outside slice */
#define JMGPU_FAULT_CODE_BAD_JOB	3	/* malformed descriptor */
#define JMGPU_FAULT_CODE_RING		4	/* bad ring setup */
#define JMGPU_FAULT_CODE_HANG		5	/* engine hang (injected) */

/* ------------------------------------------------------------------ */
/* Engine job descriptor, 64 bytes, in the ring                        */
/* ------------------------------------------------------------------ */
#define JMGPU_JOB_NOP			0
#define JMGPU_JOB_COPY			1
#define JMGPU_JOB_FILL			2

#define JMGPU_JOB_F_SRC_FB		(1u << 0)	/* src is FB offset */
#define JMGPU_JOB_F_DST_FB		(1u << 1)	/* dst is FB offset */
#define JMGPU_JOB_F_IRQ			(1u << 2)	/* interrupt on done */
#define JMGPU_JOB_F_FENCE		(1u << 3)	/* write fence on done */
#define JMGPU_JOB_F_ALL			0xf

#define JMGPU_JOB_MAX_LEN		(64u << 20)	/* per descriptor */

struct jmgpu_job {
	__le32 opcode;		/* JMGPU_JOB_* */
	__le32 flags;		/* JMGPU_JOB_F_* */
	__le64 src;		/* IOVA or FB offset (COPY) */
	__le64 dst;		/* IOVA or FB offset */
	__le64 len;		/* bytes, <= JMGPU_JOB_MAX_LEN */
	__le32 fill;		/* FILL: 32-bit pattern */
	__le32 reserved0;	/* must be 0 */
	__le64 fence;		/* value written on completion */
	__le64 reserved1[2];	/* must be 0 */
};

/* ------------------------------------------------------------------ */
/* Mailbox protocol                                                    */
/* ------------------------------------------------------------------ */
#define JMGPU_FW_IFACE_MAJOR		1
#define JMGPU_FW_IFACE_MINOR		3
#define JMGPU_FW_IFACE_VERSION \
	((JMGPU_FW_IFACE_MAJOR << 16) | JMGPU_FW_IFACE_MINOR)
#define JMGPU_VERSION_MAJOR(v)		((v) >> 16)
#define JMGPU_VERSION_MINOR(v)		((v) & 0xffff)

/*
 * A request is a header followed by hdr.len bytes of payload, written to
 * JMGPU_PF_MBOX_REQ; then 1 is written to JMGPU_PF_MBOX_DOORBELL. The
 * firmware answers in JMGPU_PF_MBOX_RESP with the same opcode and seq, a
 * status and its payload, sets MBOX_STATUS to DONE and raises
 * JMGPU_PF_INT_MBOX. One request is outstanding at a time.
 */
struct jmgpu_msg_hdr {
	__le16 opcode;		/* JMGPU_CMD_* */
	__le16 status;		/* request: 0; response: JMGPU_STATUS_* */
	__le32 seq;		/* chosen by driver, echoed by firmware */
	__le32 len;		/* payload bytes following the header */
	__le32 reserved;	/* must be 0 */
};

#define JMGPU_MSG_HDR_SIZE		16
#define JMGPU_MSG_MAX_PAYLOAD		(JMGPU_MBOX_SIZE - JMGPU_MSG_HDR_SIZE)

enum jmgpu_cmd {
	JMGPU_CMD_HELLO		= 0x01,	/* version negotiation */
	JMGPU_CMD_GET_CAPS	= 0x02,	/* capability report */
	JMGPU_CMD_VF_ENABLE	= 0x10,	/* set up N VF contexts */
	JMGPU_CMD_VF_DISABLE	= 0x11,	/* tear down all VF contexts */
	JMGPU_CMD_VF_PROVISION	= 0x12,	/* give a VF its resources */
	JMGPU_CMD_VF_UNPROVISION = 0x13, /* take them back, scrub */
	JMGPU_CMD_VF_RESET	= 0x14,	/* functional reset of one VF */
	JMGPU_CMD_VF_GET_STATS	= 0x15,	/* per-VF statistics */
	JMGPU_CMD_VF_QUERY	= 0x16,	/* a VF's provisioning */
	JMGPU_CMD_VF_MSG_REPLY	= 0x17,	/* deposit a PF -> VF message */
	JMGPU_CMD_VF_MSG_ACK	= 0x18,	/* a VF message was received */
	JMGPU_CMD_VF_EVENT_STATE = 0x19, /* a VF's event/message counters */
	JMGPU_CMD_VF_SET_DISPLAY = 0x1a, /* a VF's monitor: link, EDID (1.3) */
	JMGPU_CMD_FB_SCRUB	= 0x1c,	/* zero unprovisioned VRAM: clean */
	JMGPU_CMD_FB_CLEAN_MAP	= 0x1d,	/* which granules are known clean */
	JMGPU_CMD_VF_SCRUB	= 0x1e,	/* zero a provisioned VF's slice */
	JMGPU_CMD_VF_SET_WEIGHT	= 0x1f,	/* change a VF's engine weight (1.2) */
	JMGPU_CMD_SET_SCHED	= 0x20,	/* scheduler policy, time slice */
	JMGPU_CMD_GET_SCHED	= 0x21,
	JMGPU_CMD_PING		= 0x30,	/* liveness, echoes a cookie */
	JMGPU_CMD_GET_LOG	= 0x31,	/* firmware log chunk */
	JMGPU_CMD_MAX		= 0x31,
};

enum jmgpu_status {
	JMGPU_STATUS_OK		= 0,
	JMGPU_STATUS_UNKNOWN_CMD = 1,	/* opcode not implemented */
	JMGPU_STATUS_BAD_LEN	= 2,	/* payload length wrong for opcode */
	JMGPU_STATUS_BAD_PARAM	= 3,	/* a field out of range / reserved */
	JMGPU_STATUS_BAD_VF	= 4,	/* VF index not enabled / >= max */
	JMGPU_STATUS_BAD_STATE	= 5,	/* not allowed in current state */
	JMGPU_STATUS_NO_SPACE	= 6,	/* FB range overlaps / too big */
	JMGPU_STATUS_VERSION	= 7,	/* incompatible interface major */
	JMGPU_STATUS_BUSY	= 8,	/* request while one outstanding */
	JMGPU_STATUS_MAX	= 8,
};

/* HELLO: driver states its version; firmware answers with its own. */
struct jmgpu_hello_req {
	__le32 driver_version;	/* JMGPU_FW_IFACE_VERSION */
	__le32 reserved;
};

struct jmgpu_hello_resp {
	__le32 fw_version;	/* firmware's interface version */
	__le32 fw_build;	/* firmware build number */
};

/* GET_CAPS: no payload in the request. */
struct jmgpu_caps {
	__le64 fb_size;		/* total VRAM, bytes */
	__le64 vf_aperture;	/* VF BAR2 size = largest slice, bytes */
	__le32 fb_granule;	/* slice offset/size alignment, bytes */
	__le32 max_vfs;		/* == TotalVFs */
	__le32 num_engines;	/* copy/fill engines (one context per VF) */
	__le32 codec_sessions;	/* total codec sessions */
	__le32 display_heads;	/* max heads per VF */
	__le32 max_width;	/* largest scanout width, pixels */
	__le32 max_height;	/* largest scanout height */
	__le32 max_weight;	/* largest engine weight (min 1) */
	__le32 engine_rate;	/* modelled bytes per microsecond */
	__le32 reserved;
};

/* VF_ENABLE */
struct jmgpu_vf_enable_req {
	__le32 num_vfs;		/* 1..max_vfs */
	__le32 reserved;
};

/* VF_PROVISION / VF_QUERY response */
struct jmgpu_vf_config {
	__le32 vf;		/* VF index, 0-based */
	__le32 engine_weight;	/* 1..max_weight */
	__le64 fb_offset;	/* in VRAM, granule aligned */
	__le64 fb_size;		/* granule aligned, <= vf_aperture */
	__le32 codec_sessions;	/* <= caps.codec_sessions left */
	__le16 display_heads;	/* 0..caps.display_heads */
	__le16 flags;		/* JMGPU_VF_CFG_* (interface 1.1) */
	__le32 max_width;	/* 0 (no display) or <= caps */
	__le32 max_height;
};

/*
 * jmgpu_vf_config.flags, from interface 1.1 on (the high half of what was
 * the 32-bit display_heads of 1.0, always 0 there: a 1.0 firmware refuses
 * a set flag with BAD_PARAM, as a display_heads out of range).
 *
 * SCRUB_ON_FLR: every PCIe FLR of the VF zeroes its whole slice before the
 * FLR completes, so nothing a user of the VF wrote survives the reset. For
 * VFs handed to users through a driver that gives the PF no open hook
 * (stock vfio-pci resets the function at every open and last close).
 */
#define JMGPU_VF_CFG_SCRUB_ON_FLR	(1u << 0)
#define JMGPU_VF_CFG_ALL		0x1
#define JMGPU_FW_MINOR_SCRUB_ON_FLR	1	/* first minor with the flag */

/*
 * VF_SET_WEIGHT request, from interface 1.2 on (a 1.1 firmware answers
 * UNKNOWN_CMD): the new engine weight of a provisioned VF, 1..max_weight,
 * at most max_weight minus the weights of the other provisioned VFs
 * (NO_SPACE otherwise). The scheduler uses it from its next decision on:
 * the slice running keeps the weight it started with, no VF's virtual
 * time is reset. VF_QUERY, the VF's ENGINE_WEIGHT register and a later
 * VF_RESET keep the new weight; VF_UNPROVISION ends it.
 */
struct jmgpu_vf_weight {
	__le32 vf;		/* VF index, 0-based */
	__le32 engine_weight;	/* 1..max_weight */
};

#define JMGPU_FW_MINOR_SET_WEIGHT	2	/* first minor with VF_SET_WEIGHT */

/*
 * VF_SET_DISPLAY request, from interface 1.3 on (older firmware answers
 * UNKNOWN_CMD): the virtual monitor of a provisioned VF with display
 * heads (BAD_STATE otherwise). link is 0 (disconnected: edid_size must be
 * 0) or 1; edid_size is 0 or a multiple of 128 up to JMGPU_VF_EDID_MAX,
 * and every 128-byte block of edid[] sums to 0 mod 256, the first one
 * starting with the EDID header (BAD_PARAM otherwise, nothing changes).
 * Bytes of edid[] past edid_size must be 0.
 */
struct jmgpu_vf_display {
	__le32 vf;		/* VF index, 0-based */
	__le32 link;		/* 0 = disconnected, 1 = connected */
	__le32 edid_size;	/* bytes, 0 or n * 128 <= JMGPU_VF_EDID_MAX */
	__le32 reserved;	/* must be 0 */
	__u8 edid[JMGPU_VF_EDID_MAX];
};

#define JMGPU_FW_MINOR_DISPLAY		3	/* first minor with VF_SET_DISPLAY */

/* VF_UNPROVISION, VF_RESET, VF_GET_STATS, VF_QUERY, VF_SCRUB requests */
struct jmgpu_vf_req {
	__le32 vf;
	__le32 reserved;
};

struct jmgpu_vf_stats {
	__le32 vf;
	__le32 reserved;
	__le64 engine_busy_ns;	/* cumulative engine time, virtual ns */
	__le64 jobs;		/* completed jobs */
	__le64 bytes;		/* bytes copied or filled */
	__le64 doorbells;	/* doorbell writes */
	__le64 faults;		/* engine faults */
	__le64 resets;		/* VF resets (FLR + firmware reset) */
	__le64 fb_violations;	/* BAR2 accesses outside the slice */
	__le64 timestamp_ns;	/* firmware time of the sample */
};

/*
 * VRAM hygiene. The firmware keeps one "clean" bit per FB granule: set
 * when the granule is known to hold zeros that no tenant could have
 * written since (power-on, FB_SCRUB, the scrub of VF_UNPROVISION or of
 * SR-IOV disable), cleared when a VF_PROVISION hands the granule to a VF.
 * The map lives with VRAM: firmware resets and PCI resets of the PF keep
 * it, as they keep VRAM content. A driver provisions only granules the map
 * reports clean, or that it scrubbed itself with FB_SCRUB.
 */

/* FB_SCRUB request: granule-aligned range, no provisioned slice in it */
struct jmgpu_fb_range {
	__le64 fb_offset;
	__le64 fb_size;
};

/* FB_CLEAN_MAP: the clean bits of granules first..first+count-1 */
#define JMGPU_CLEAN_MAP_GRANULES	16384	/* per reply */

struct jmgpu_clean_map_req {
	__le32 first;		/* < fb_size / fb_granule */
	__le32 count;		/* 1..JMGPU_CLEAN_MAP_GRANULES */
};

struct jmgpu_clean_map {
	__le32 first;		/* echoed */
	__le32 count;		/* min(asked, granules - first) */
	__le32 clean;		/* number of bits set in bits[] */
	__le32 reserved;
	__le64 bits[JMGPU_CLEAN_MAP_GRANULES / 64];	/* bit i: first + i */
};

/* VF_MSG_REPLY */
struct jmgpu_vf_msg {
	__le32 vf;
	__le32 reserved;
	__le32 data[JMGPU_VF_MSG_DWORDS];
};

/* VF_MSG_ACK: @seq is the VF_MSG event's data */
struct jmgpu_vf_msg_ack {
	__le32 vf;
	__le32 seq;
};

/* VF_EVENT_STATE pending bits */
#define JMGPU_EVSTATE_FLR_PENDING	(1u << 0)	/* FLR_DONE not yet in ring */
#define JMGPU_EVSTATE_FAULT_PENDING	(1u << 1)	/* ENGINE_FAULT likewise */
#define JMGPU_EVSTATE_MSG_PENDING	(1u << 2)	/* VF_MSG likewise */
#define JMGPU_EVSTATE_MSG_BUSY		(1u << 3)	/* message not yet acked */
#define JMGPU_EVSTATE_ALL		0xf

/*
 * VF_EVENT_STATE response: the firmware's per-VF totals since the PF's last
 * PCI reset (VF_ENABLE, FLR and firmware resets keep them; they wrap).
 * Each FLR and each fault counts here even when it was coalesced into a
 * record still waiting for room in the ring (EVQ_OVERFLOW moved).
 */
struct jmgpu_vf_event_state {
	__le32 vf;
	__le32 pending;		/* JMGPU_EVSTATE_* */
	__le32 flr_done;	/* FLRs of the VF (VF_FLR_DONE occurrences) */
	__le32 faults;		/* engine faults (ENGINE_FAULT occurrences) */
	__le32 msgs;		/* messages accepted (VF_MSG records) */
	__le32 msg_dropped;	/* doorbells dropped while BUSY */
	__le32 msg_seq;		/* seq of the last accepted message */
	__le32 log_suppressed;	/* log lines of the VF dropped by the limit */
	__le32 fw_epoch;	/* firmware resets since power-on */
	__le32 reserved;
};

#define JMGPU_SCHED_BEST_EFFORT		0	/* work-conserving, by weight */
#define JMGPU_SCHED_EQUAL_SHARE		1	/* equal, work-conserving */
#define JMGPU_SCHED_FIXED_SHARE		2	/* weight caps, idle not given */
#define JMGPU_SCHED_MAX			2
#define JMGPU_SCHED_MIN_SLICE_US	100
#define JMGPU_SCHED_MAX_SLICE_US	100000

/* SET_SCHED request, GET_SCHED response */
struct jmgpu_sched {
	__le32 policy;		/* JMGPU_SCHED_* */
	__le32 timeslice_us;	/* MIN..MAX_SLICE_US */
};

/* PING */
struct jmgpu_ping {
	__le64 cookie;		/* echoed */
};

/* GET_LOG: request the bytes from offset; reply carries up to 4000 bytes */
struct jmgpu_log_req {
	__le32 offset;		/* byte offset in the log stream */
	__le32 max_len;		/* <= JMGPU_LOG_CHUNK */
};

#define JMGPU_LOG_CHUNK			4000

struct jmgpu_log_resp {
	__le32 offset;		/* first byte returned */
	__le32 len;		/* bytes in text[] */
	__le32 next;		/* offset of the next unread byte */
	__le32 reserved;
	char text[];		/* len bytes, not NUL terminated */
};

/* ------------------------------------------------------------------ */
/* Asynchronous events (PF BAR0 event ring)                            */
/* ------------------------------------------------------------------ */
enum jmgpu_event_type {
	JMGPU_EVENT_NONE		= 0,
	JMGPU_EVENT_VF_FLR_DONE		= 1,	/* vf, data: FLR total */
	JMGPU_EVENT_ENGINE_FAULT	= 2,	/* vf, data: fault code,
						 * payload[0..1]: address,
						 * payload[2]: fault total */
	JMGPU_EVENT_VF_MSG		= 3,	/* vf, data: seq, payload: message */
	JMGPU_EVENT_FW_RESET_DONE	= 4,	/* firmware restarted */
	JMGPU_EVENT_MAX			= 4,
};

struct jmgpu_event {
	__le16 type;		/* JMGPU_EVENT_* */
	__le16 vf;
	__le32 data;
	__le32 payload[JMGPU_VF_MSG_DWORDS];
	__le64 timestamp_ns;
	__le64 reserved;
};

#define JMGPU_EVENT_SIZE		40

/*
 * The firmware keeps, per VF, at most one waiting record of each type
 * (FLR_DONE, ENGINE_FAULT, VF_MSG) and one FW_RESET_DONE for the PF, and
 * moves them into the ring round-robin over the VFs as slots free up. VF
 * records use at most JMGPU_EVQ_ENTRIES - 2 slots: the last usable slot
 * is kept for FW_RESET_DONE. An occurrence that finds a record of its
 * type still waiting is coalesced into it and counted in EVQ_OVERFLOW
 * (and in VF_EVENT_STATE's totals): the driver then resynchronises.
 */
#define JMGPU_EVQ_VF_SLOTS		(JMGPU_EVQ_ENTRIES - 2)

/* ------------------------------------------------------------------ */
/* Validation helpers, shared by firmware, driver and tests            */
/* ------------------------------------------------------------------ */

/* Exact request payload length for @opcode, or -1 for unknown opcodes. */
static inline int jmgpu_req_payload_len(unsigned int opcode)
{
	switch (opcode) {
	case JMGPU_CMD_HELLO:
		return sizeof(struct jmgpu_hello_req);
	case JMGPU_CMD_GET_CAPS:
	case JMGPU_CMD_VF_DISABLE:
	case JMGPU_CMD_GET_SCHED:
		return 0;
	case JMGPU_CMD_VF_ENABLE:
		return sizeof(struct jmgpu_vf_enable_req);
	case JMGPU_CMD_VF_PROVISION:
		return sizeof(struct jmgpu_vf_config);
	case JMGPU_CMD_VF_UNPROVISION:
	case JMGPU_CMD_VF_RESET:
	case JMGPU_CMD_VF_GET_STATS:
	case JMGPU_CMD_VF_QUERY:
		return sizeof(struct jmgpu_vf_req);
	case JMGPU_CMD_VF_MSG_REPLY:
		return sizeof(struct jmgpu_vf_msg);
	case JMGPU_CMD_FB_SCRUB:
		return sizeof(struct jmgpu_fb_range);
	case JMGPU_CMD_FB_CLEAN_MAP:
		return sizeof(struct jmgpu_clean_map_req);
	case JMGPU_CMD_VF_MSG_ACK:
		return sizeof(struct jmgpu_vf_msg_ack);
	case JMGPU_CMD_VF_SCRUB:
	case JMGPU_CMD_VF_EVENT_STATE:
		return sizeof(struct jmgpu_vf_req);
	case JMGPU_CMD_VF_SET_WEIGHT:
		return sizeof(struct jmgpu_vf_weight);
	case JMGPU_CMD_VF_SET_DISPLAY:
		return sizeof(struct jmgpu_vf_display);
	case JMGPU_CMD_SET_SCHED:
		return sizeof(struct jmgpu_sched);
	case JMGPU_CMD_PING:
		return sizeof(struct jmgpu_ping);
	case JMGPU_CMD_GET_LOG:
		return sizeof(struct jmgpu_log_req);
	default:
		return -1;
	}
}

/*
 * Exact payload length of a successful response to @opcode, or -1 when
 * the length varies (GET_LOG: header + len) or the opcode is unknown.
 * Error responses (status != OK) carry no payload.
 */
static inline int jmgpu_resp_payload_len(unsigned int opcode)
{
	switch (opcode) {
	case JMGPU_CMD_HELLO:
		return sizeof(struct jmgpu_hello_resp);
	case JMGPU_CMD_GET_CAPS:
		return sizeof(struct jmgpu_caps);
	case JMGPU_CMD_VF_ENABLE:
	case JMGPU_CMD_VF_DISABLE:
	case JMGPU_CMD_VF_PROVISION:
	case JMGPU_CMD_VF_UNPROVISION:
	case JMGPU_CMD_VF_RESET:
	case JMGPU_CMD_VF_MSG_REPLY:
	case JMGPU_CMD_FB_SCRUB:
	case JMGPU_CMD_VF_SCRUB:
	case JMGPU_CMD_VF_MSG_ACK:
	case JMGPU_CMD_VF_SET_WEIGHT:
	case JMGPU_CMD_VF_SET_DISPLAY:
	case JMGPU_CMD_SET_SCHED:
		return 0;
	case JMGPU_CMD_FB_CLEAN_MAP:
		return sizeof(struct jmgpu_clean_map);
	case JMGPU_CMD_VF_EVENT_STATE:
		return sizeof(struct jmgpu_vf_event_state);
	case JMGPU_CMD_VF_GET_STATS:
		return sizeof(struct jmgpu_vf_stats);
	case JMGPU_CMD_VF_QUERY:
		return sizeof(struct jmgpu_vf_config);
	case JMGPU_CMD_GET_SCHED:
		return sizeof(struct jmgpu_sched);
	case JMGPU_CMD_PING:
		return sizeof(struct jmgpu_ping);
	default:
		return -1;
	}
}

#endif /* JMGPU_FW_IFACE_H */
