// SPDX-License-Identifier: GPL-2.0
/*
 * jmgpu PF driver: the table of named vGPU profiles, shared by vf_mdev
 * (mdev types) and auto-provisioning. Documentation/profiles.rst.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "jmgpu_pf.h"

#define MIB	(1024ULL * 1024ULL)

/*
 * Name scheme: fb<size>-w<engine weight>. The weights are percent of the
 * engine with the model's max_weight of 100, chosen so that every profile
 * fills the 2 GiB model card in FB, weight and codec at the same VF count.
 */
static const struct jmgpu_profile jmgpu_profiles[] = {
	{
		.name = "fb64m-w3",
		.description = "64 MiB, 3% engine, 2 codec, 1 head 1920x1080",
		.fb_size = 64 * MIB, .engine_weight = 3, .codec_sessions = 2,
		.display_heads = 1, .max_width = 1920, .max_height = 1080,
	},
	{
		.name = "fb128m-w6",
		.description = "128 MiB, 6% engine, 4 codec, 1 head 2560x1440",
		.fb_size = 128 * MIB, .engine_weight = 6, .codec_sessions = 4,
		.display_heads = 1, .max_width = 2560, .max_height = 1440,
	},
	{
		.name = "fb256m-w12",
		.description = "256 MiB, 12% engine, 8 codec, 1 head 3840x2160",
		.fb_size = 256 * MIB, .engine_weight = 12, .codec_sessions = 8,
		.display_heads = 1, .max_width = 3840, .max_height = 2160,
	},
	{
		.name = "fb256m-w25",
		.description = "256 MiB, 25% engine, 16 codec, 1 head 7680x4320",
		.fb_size = 256 * MIB, .engine_weight = 25, .codec_sessions = 16,
		.display_heads = 1, .max_width = 7680, .max_height = 4320,
	},
	{
		.name = "fb32m-w1-headless",
		.description = "32 MiB, 1% engine, no codec, headless (compute)",
		.fb_size = 32 * MIB, .engine_weight = 1, .codec_sessions = 0,
		.display_heads = 0, .max_width = 0, .max_height = 0,
	},
};

/**
 * jmgpu_pf_profiles - the driver's table of named profiles
 * @count: set to the number of entries
 *
 * The table is static: the pointers stay valid while jmgpu_pf is loaded.
 * Whether a profile fits a given PF is jmgpu_pf_profile_fits().
 *
 * Return: the first entry.
 */
const struct jmgpu_profile *jmgpu_pf_profiles(unsigned int *count)
{
	*count = ARRAY_SIZE(jmgpu_profiles);
	return jmgpu_profiles;
}
EXPORT_SYMBOL_NS_GPL(jmgpu_pf_profiles, JMGPU);

/**
 * jmgpu_pf_profile_find - look a profile up by name
 * @name: profile name; a trailing newline is ignored
 *
 * Return: the profile, or NULL when no profile has that name.
 */
const struct jmgpu_profile *jmgpu_pf_profile_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(jmgpu_profiles); i++)
		if (sysfs_streq(name, jmgpu_profiles[i].name))
			return &jmgpu_profiles[i];
	return NULL;
}
EXPORT_SYMBOL_NS_GPL(jmgpu_pf_profile_find, JMGPU);
