/* SPDX-License-Identifier: MIT */
/* The demo organisation: about 150 people in 8 departments under 5 levels of management, with
 * realistic names, titles, levels, hire dates and role history; every person can sign in. */
#ifndef TRELLIS_DOMAIN_DEMO_H
#define TRELLIS_DOMAIN_DEMO_H

#include "store/store.h"
#include "util/buf.h"

#define DEMO_PASSWORD "trellis-demo"
#define DEMO_DOMAIN   "northwind.example"

/* Writes the demo organisation as a people CSV (the import format) into out. */
void demo_people_csv(struct buf *out);
/* Fills an empty database: people through the import, accounts, promotions. ERR_CONFLICT when
 * the database already has people. */
enum err demo_build(struct db *db, struct errinfo *ei);

#endif
