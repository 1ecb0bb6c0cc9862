// SPDX-License-Identifier: GPL-2.0
/* sriov_cfg entry point; the commands live in cli.c (also linked by tests). */
#include "sriov_cfg.h"

int main(int argc, char **argv)
{
	return sriov_cfg_main(argc, argv);
}
