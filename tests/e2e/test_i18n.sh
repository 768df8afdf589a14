# test_i18n.sh — the users' language (issue 15): the Simplified Chinese
# catalogue is complete and up to date with the sources, the screens
# speak Chinese under LANGUAGE=zh_CN and fit the terminal by display
# width, English stays English, and the contracts (--json, --csv) are the
# same bytes in both languages.
. "$E2E_LIB"
. "$(dirname "$E2E_LIB")/tui_lib.sh"

tui_config
E2E_PW=demo
R=$E2E_ROOT
PO=$R/po/zh_CN.po
# The built catalogues (make builds build/locale); made here when absent.
LOC=$R/build/locale
if [ ! -f "$LOC/zh_CN/LC_MESSAGES/fundflow.mo" ]; then
	LOC=$T/locale
	mkdir -p "$LOC/zh_CN/LC_MESSAGES"
	msgfmt --check -o "$LOC/zh_CN/LC_MESSAGES/fundflow.mo" "$PO"
fi
ZH=(LANGUAGE=zh_CN LANG=zh_CN.UTF-8 FUNDFLOW_LOCALEDIR=$LOC)

t_complete() {
	local s
	command -v msgfmt >/dev/null || fail "msgfmt is missing (apt-get install gettext)"
	s=$(msgfmt --check --statistics -o /dev/null "$PO" 2>&1) || fail "msgfmt --check: $s"
	case $s in
	*untranslated*) fail "untranslated messages: $s" ;;
	*fuzzy*) fail "fuzzy messages: $s" ;;
	esac
	[[ $s =~ ^[0-9]+\ translated\ messages\.$ ]] || fail "unexpected statistics: $s"
	ge "${s%% *}" 50 "translated messages"
}

# Every msgid of the sources (po/POTFILES, the Makefile's xgettext) is
# in zh_CN.po.
t_up_to_date() {
	local pot=$T/fresh.pot n=0 miss=0 id
	(cd "$R" && xgettext --language=C --keyword=_ --keyword=N_ --from-code=UTF-8 \
	    --add-comments=TRANSLATORS --package-name=fundflow --msgid-bugs-address= \
	    -o "$pot" $(cat po/POTFILES)) 2>"$T/xg.err" || fail "xgettext: $(cat "$T/xg.err")"
	msgcat --no-wrap "$PO" | sed -n 's/^msgid //p' | sort -u > "$T/po.ids"
	while IFS= read -r id; do
		[ "$id" = '""' ] && continue
		n=$((n + 1))
		grep -qxF -- "$id" "$T/po.ids" || { miss=$((miss + 1)); echo "# not in zh_CN.po: $id"; }
	done < <(msgcat --no-wrap "$pot" | sed -n 's/^msgid //p')
	eq "$miss" 0 "msgids of the sources missing from zh_CN.po"
	ge "$n" 50 "msgids in the sources"
}

t_demo() { ff demo; expect_rc 0; }

# Display width of every captured line at most the terminal's.
fits() { # NAME COLS
	local w
	w=$(tui_screen "$1" | wc -L)
	[ "$w" -le "$2" ] || tui_fail "$1" "a line is $w columns wide on a $2-column terminal"
}

t_screens_zh() { # COLS LINES
	local s=zh$1
	TUI_COLS=$1 TUI_LINES=$2 tui_start "$s" "${ZH[@]}"
	tui_wait "$s" "密码"
	tui_type "$s" admin; tui_keys "$s" Tab; tui_type "$s" demo; tui_keys "$s" Enter
	tui_wait "$s" "[1 账户]"
	tui_wait "$s" "已登录为 admin"
	fits "$s" "$1"
	tui_keys "$s" 2; tui_wait "$s" "[2 提现]"; fits "$s" "$1"
	tui_keys "$s" 3; tui_wait "$s" "[3 流水]"; fits "$s" "$1"
	tui_keys "$s" 4; tui_wait "$s" "[4 收益]"; fits "$s" "$1"
	tui_keys "$s" 6; tui_wait "$s" "[6 版本]"; fits "$s" "$1"
	tui_keys "$s" '?'; tui_wait "$s" "各处通用"; fits "$s" "$1"
	tui_keys "$s" Escape; tui_wait_gone "$s" "各处通用"
	tui_keys "$s" q; tui_wait "$s" "退出 fundflow？"; fits "$s" "$1"
	tui_keys "$s" y
	tui_ended "$s"
}

t_screens_en() {
	local s=en
	TUI_COLS=80 TUI_LINES=24 tui_start "$s" FUNDFLOW_LOCALEDIR="$LOC"
	tui_login "$s" admin demo
	tui_wait "$s" "[1 Accounts]"
	tui_wait "$s" "Logged in as admin"
	tui_screen "$s" | grep -q '账户' && tui_fail "$s" "Chinese without LANGUAGE"
	fits "$s" 80
	tui_keys "$s" q; tui_wait "$s" "Quit fundflow?"; tui_keys "$s" y
	tui_ended "$s"
}

# The contracts: the same bytes in both languages.
t_contracts() {
	local f
	for args in "accounts --json" "accounts --csv" "withdraw list --json" "withdraw list --csv"; do
		f=$(echo "$args" | tr ' -' '__')
		# shellcheck disable=SC2086
		ffas admin $args; expect_rc 0; cp "$OUT" "$T/en$f"
		# shellcheck disable=SC2086
		env "${ZH[@]}" FUNDFLOW_PASSWORD=demo "$FUNDFLOW" --db "$DB" --user admin $args \
		    > "$T/zh$f" 2>"$T/zh$f.err" || fail "$args in Chinese: exit $?"
		cmp -s "$T/en$f" "$T/zh$f" || fail "$args differs between English and Chinese"
		[ -s "$T/en$f" ] || fail "$args printed nothing"
	done
}

check catalogue_complete t_complete
check catalogue_up_to_date t_up_to_date
check demo_database t_demo
check screens_chinese_80x24 t_screens_zh 80 24
check screens_chinese_120x40 t_screens_zh 120 40
check screens_english_without_language t_screens_en
check json_csv_same_in_both_languages t_contracts
finish
