/* Knobs of fake_health.c. */
#ifndef FAKE_HEALTH_H
#define FAKE_HEALTH_H
/* Set service i's health (enum proto_health) and its failures in a row,
 * calling health_changed as health.c would when the state changes. */
void fake_health_set(int i, int to, unsigned fails);
/* How many times health_start(i) began its checks since health_init(). */
int fake_health_started(int i);
#endif
