# Devices of the jmgpu test VM (and of the nested QEMU inside it).
CONFIG_Q35=y
CONFIG_VTD=y
CONFIG_PCIE_PORT=y
CONFIG_JMGPU=y
CONFIG_VFIO_PCI=y
CONFIG_ISA_DEBUG=y
CONFIG_SERIAL_ISA=y
CONFIG_ISA_TESTDEV=y
# the iommufd backend (-object iommufd) of vfio-pci
CONFIG_IOMMUFD=y
