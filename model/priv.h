/*
 * priv.h — the group privilege of an installed (setgid) fundflow.
 *
 * Installed, fundflow runs setgid to the group that owns the data folder,
 * for operators who are not in that group.  While it holds that privilege
 * (priv_held()), only the installed configuration names the database, the
 * environment's paths are not used, and every file an operator names is
 * opened with the operator's own rights: the privilege is set aside for
 * the open (priv_open_user) or around a block (priv_user_begin/end), so
 * that fundflow touches nothing an operator could not touch without it.
 * The database and its side files in the data folder are opened with the
 * group's rights; that is what the privilege is for.
 *
 * Root, and an account that is in the group anyway (the feeder), hold no
 * privilege they do not have by themselves: priv_held() is 0 for them.
 */
#ifndef FF_PRIV_H
#define FF_PRIV_H

#include <stdio.h>
#include <sys/types.h>

/*
 * Looks at this process's credentials once, first thing in main().  When
 * the privilege is held: makes the process non-dumpable (no core file, no
 * ptrace by the operator) and removes from the environment the paths that
 * are not to be used (TMPDIR, SQLITE_TMPDIR, locale and terminfo paths;
 * see priv.c).  Safe to call again.
 */
void priv_init(void);

/* 1 when fundflow holds a privilege its caller does not have by itself. */
int priv_held(void);

/* The group the privilege is for (the effective group at start). */
gid_t priv_group(void);

/*
 * open(2) with the caller's own rights: the group privilege is set aside
 * for the call and taken back after it.  O_CLOEXEC is always added.
 * Returns the descriptor or -1 with errno set.
 */
int priv_open_user(const char *path, int flags, mode_t mode);

/* fopen(3) for reading with the caller's own rights ("r" only). */
FILE *priv_fopen_user_read(const char *path);

/*
 * Sets the privilege aside until priv_user_end(): everything between runs
 * with the caller's own rights (renames, unlinks of an operator's file).
 * Pairs may nest; the privilege comes back at the outermost end.
 */
void priv_user_begin(void);
void priv_user_end(void);

#endif
