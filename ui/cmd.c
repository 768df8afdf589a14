/* cmd.c — the command table: every command the command line knows. */
#include "cli.h"

extern const struct cmd_entry cmd_init_entry, cmd_demo_entry,
    cmd_branch_add_entry, cmd_branch_list_entry, cmd_user_add_entry,
    cmd_user_passwd_entry, cmd_user_disable_entry, cmd_user_list_entry,
    cmd_user_enable_entry, cmd_user_confirm_entry,
    cmd_ingest_entry, cmd_consume_entry, cmd_withdraw_apply_entry, cmd_withdraw_approve_entry,
    cmd_withdraw_reject_entry, cmd_withdraw_cancel_entry,
    cmd_withdraw_list_entry, cmd_accounts_entry, cmd_ledger_entry,
    cmd_incomes_entry, cmd_audit_entry, cmd_releases_entry,
    cmd_activity_entry, cmd_backup_entry, cmd_copy_entry;

const struct cmd_entry *const cmd_table[] = {
	&cmd_init_entry,
	&cmd_demo_entry,
	&cmd_branch_add_entry,
	&cmd_branch_list_entry,
	&cmd_user_add_entry,
	&cmd_user_passwd_entry,
	&cmd_user_disable_entry,
	&cmd_user_enable_entry,
	&cmd_user_confirm_entry,
	&cmd_user_list_entry,
	&cmd_ingest_entry,
	&cmd_consume_entry,
	&cmd_withdraw_apply_entry,
	&cmd_withdraw_approve_entry,
	&cmd_withdraw_reject_entry,
	&cmd_withdraw_cancel_entry,
	&cmd_withdraw_list_entry,
	&cmd_accounts_entry,
	&cmd_ledger_entry,
	&cmd_incomes_entry,
	&cmd_audit_entry,
	&cmd_releases_entry,
	&cmd_activity_entry,
	&cmd_backup_entry,
	&cmd_copy_entry,
	NULL
};
