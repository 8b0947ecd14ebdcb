/* schedule.c — learning-rate schedules: linear warmup, then constant, cosine or linear decay. */
#include "train.h"
#include <math.h>

float sched_lr(const TrainSettings *s, int64_t step, int64_t total_steps)
{
    if (step < s->warmup_steps) return s->lr * (float)(step + 1) / (float)s->warmup_steps;
    int64_t span = total_steps - s->warmup_steps;
    double t = span > 0 ? (double)(step - s->warmup_steps) / (double)span : 1.0;
    if (t > 1) t = 1;
    switch (s->schedule) {
    case SCHED_COSINE: return (float)(s->min_lr + (s->lr - s->min_lr) * 0.5 * (1 + cos(M_PI * t)));
    case SCHED_LINEAR: return (float)(s->lr + (s->min_lr - s->lr) * t);
    default: return s->lr;
    }
}
