// SPDX-License-Identifier: GPL-2.0
/*
 * nitro_mmio: registers the virtio-mmio devices of QEMU's nitro-enclave
 * machine (its vhost-user-vsock and its virtio-nsm), a test helper of the
 * emulated Nitro Enclave tier (tests/nitro).
 *
 * Why: the machine (a microvm) announces its devices only with
 * "virtio_mmio.device=512@ADDR:IRQ" on the kernel command line, and
 * Debian's cloud kernel is built without CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES,
 * so nothing would register them. A module cannot read the command line
 * (saved_command_line is not exported), so this one probes microvm's
 * transport window instead: a slot whose registers say "virt" with a
 * non-zero device id holds a device. The defaults are microvm's layout with
 * ACPI off, as nitro-enclave runs (hw/i386/microvm.c: 8 transports of 512
 * bytes from 0xfeb00000, IRQs from 5). Load it before virtio_mmio.
 */
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/platform_device.h>

#define SLOT_SIZE 512
#define VIRTIO_MMIO_MAGIC 0x74726976 /* "virt", little-endian */
#define MAX_TRANSPORTS 24

static unsigned long base = 0xfeb00000;
module_param(base, ulong, 0444);
static unsigned int irq_base = 5;
module_param(irq_base, uint, 0444);
static unsigned int transports = 8;
module_param(transports, uint, 0444);

static struct platform_device *devs[MAX_TRANSPORTS];

static void nitro_mmio_unregister(void)
{
	unsigned int i;

	for (i = 0; i < MAX_TRANSPORTS; i++)
		if (!IS_ERR_OR_NULL(devs[i]))
			platform_device_unregister(devs[i]);
}

static int __init nitro_mmio_init(void)
{
	unsigned int i, found = 0;

	if (transports > MAX_TRANSPORTS)
		return -EINVAL;
	for (i = 0; i < transports; i++) {
		resource_size_t addr = base + i * SLOT_SIZE;
		struct resource res[] = { DEFINE_RES_MEM(addr, SLOT_SIZE),
					  DEFINE_RES_IRQ(irq_base + i) };
		void __iomem *regs = ioremap(addr, SLOT_SIZE);
		u32 magic, id;

		if (!regs)
			continue;
		magic = readl(regs);
		id = readl(regs + 8);
		iounmap(regs);
		if (magic != VIRTIO_MMIO_MAGIC || id == 0)
			continue;
		devs[i] = platform_device_register_simple("virtio-mmio", i, res,
							  ARRAY_SIZE(res));
		if (IS_ERR(devs[i])) {
			nitro_mmio_unregister();
			return PTR_ERR(devs[i]);
		}
		pr_info("nitro_mmio: virtio_mmio.device=512@%#llx:%u (virtio device id %u)\n",
			(unsigned long long)addr, irq_base + i, id);
		found++;
	}
	return found ? 0 : -ENODEV;
}

static void __exit nitro_mmio_exit(void)
{
	nitro_mmio_unregister();
}

module_init(nitro_mmio_init);
module_exit(nitro_mmio_exit);
MODULE_DESCRIPTION("virtio-mmio devices of QEMU's nitro-enclave machine (test helper)");
MODULE_LICENSE("GPL");
