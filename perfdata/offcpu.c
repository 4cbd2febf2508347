/* Owns the names of the thread states in offcpu-time samples (perfdata/offcpu.h). */
#include "perfdata/offcpu.h"

const char *offcpu__state_name(uint32_t state)
{
	if (state & OFFCPU_PREEMPTED || state == 0)
		return "preempted";
	if (state & 0x01)
		return "sleeping";
	if (state & 0x02)
		return "uninterruptible";
	if (state & 0x04)
		return "stopped";
	if (state & 0x08)
		return "traced";
	if (state & 0x30)
		return "exiting";
	if (state & 0x40)
		return "parked";
	if (state & 0x80)
		return "idle";
	return "other";
}

const char *offcpu__state_letter(uint32_t state)
{
	static const char *const letters[] = { "S", "D", "T", "t", "X", "Z", "P", "I" };

	if (state & OFFCPU_PREEMPTED)
		return "R+";
	for (int i = 0; i < 8; i++)
		if (state & (1u << i))
			return letters[i];
	return "R";
}
