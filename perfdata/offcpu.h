/* The format of precord --off-cpu's synthetic event, shared by the recorder (sampler/offcpu*)
 * and the readers (report/): an ordinary software event named "offcpu-time" in EVENT_DESC whose
 * samples carry the switch-out stack, the nanoseconds off CPU as the period, and this RAW data. */
#ifndef PERFDATA_OFFCPU_H
#define PERFDATA_OFFCPU_H

#include <stdint.h>

#define OFFCPU_EVENT_NAME	"offcpu-time"

/* The RAW payload of an offcpu-time sample (size 12: with its u32 size word, 16 bytes). */
struct offcpu_raw {
	uint32_t state;		/* sched_switch's prev_state: 0 R, 1 S, 2 D, ...; OFFCPU_PREEMPTED */
	uint32_t nr;		/* waits summed in this sample */
	uint32_t waker;		/* tid of the task that woke it (last wait), 0 if unknown */
};
#define OFFCPU_PREEMPTED	0x100	/* prev_state's "+" bit (TASK_REPORT_MAX): preempted */
#define OFFCPU_DEAD		0x10	/* X */
#define OFFCPU_ZOMBIE		0x20	/* Z */

/* What a state is called in reports: "preempted", "sleeping", "uninterruptible", ... */
const char *offcpu__state_name(uint32_t state);
/* Short letter(s) as sched_switch prints them: "R+", "S", "D", ... */
const char *offcpu__state_letter(uint32_t state);

#endif
