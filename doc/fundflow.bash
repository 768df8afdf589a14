# bash completion for fundflow(1)                          -*- shell-script -*-
#
# Installed by `make install` as $(BASHCOMPDIR)/fundflow; to try it
# before installing:  . doc/fundflow.bash
#
# Completes the commands (two words for branch, user and withdraw), each
# command's options, the global options (which fundflow takes anywhere on
# the line), file names where a command takes a file, and the values of
# --role, --status, --format and ledger's --type.
#
# Branch codes after --branch come from `fundflow --csv branch list`, which,
# like every listing, needs a login.  They are completed only when that can
# happen without asking anything: --user LOGIN is on the line and
# FUNDFLOW_PASSWORD is set.  The listing runs with stdin from /dev/null
# (fundflow then never prompts), stderr discarded and a 2-second timeout,
# and is given the line's own --db and --config; a refusal simply completes
# nothing.  Without FUNDFLOW_PASSWORD nothing is run at all, so no failed
# login lands in the activity journal.
#
# The option lists below are those of ui/cmd_*.c; tests/e2e/test_man.sh
# holds them to the usages `fundflow --help` prints.
#
# Needs nothing from the bash-completion package.

# The options of each command; the ones that take a value are listed in
# _fundflow_valued as well.
_fundflow_options() {
	case $1 in
	init) echo "--admin" ;;
	demo) echo "--force --entries" ;;
	"user add") echo "--role --branch --name" ;;
	consume) echo "--queue --prefetch --once --declare" ;;
	"withdraw apply") echo "--branch --amount --note" ;;
	"withdraw reject") echo "--reason" ;;
	"withdraw list") echo "--status --branch" ;;
	accounts) echo "--branch" ;;
	ledger) echo "--branch --since --until --limit --before --type --ref --format" ;;
	incomes) echo "--branch --type --limit --conflicts" ;;
	audit) echo "--digest --verify-digest" ;;
	activity) echo "--limit" ;;
	esac
}

# Options (global or a command's) that take a value.
_fundflow_valued() {
	case $1 in
	--db | --config | --user | --admin | --entries | --role | --branch | \
	--name | --queue | --prefetch | --amount | --note | --reason | \
	--status | --since | --until | --limit | --before | --type | --ref | \
	--format | --digest | --verify-digest)
		return 0 ;;
	esac
	return 1
}

# The branch codes the line's operator may see, one a line; nothing unless
# that needs no prompt (see above).  $1 the program, $2 the login, $3 --db,
# $4 --config (both possibly empty).
_fundflow_branches() {
	local bin=$1 user=$2 db=$3 config=$4 line code
	local -a argv

	[[ -n $user && -n ${FUNDFLOW_PASSWORD+x} ]] || return 0
	bin=$(type -P -- "$bin" 2>/dev/null) || return 0
	[[ -x $bin ]] || return 0
	if type -P timeout >/dev/null 2>&1; then
		argv=(timeout -k 1 2 "$bin")
	else
		argv=("$bin")
	fi
	[[ -n $db ]] && argv+=(--db "$db")
	[[ -n $config ]] && argv+=(--config "$config")
	argv+=(--user "$user" --csv branch list)
	while IFS= read -r line; do
		code=${line%%,*}
		code=${code#\'}
		[[ $code =~ ^[A-Za-z0-9._-]+$ && $code != code ]] && echo "$code"
	done < <(FUNDFLOW_PASSWORD=$FUNDFLOW_PASSWORD "${argv[@]}" </dev/null 2>/dev/null)
}

# Adds the words of $1 that begin with $2 to COMPREPLY.
_fundflow_words() {
	local -a found
	mapfile -t found < <(compgen -W "$1" -- "$2")
	COMPREPLY+=(${found[@]+"${found[@]}"})
}

# File names for the current word (directories too, to descend into).
_fundflow_files() {
	local -a found
	compopt -o filenames 2>/dev/null
	mapfile -t found < <(compgen -f -- "$1")
	COMPREPLY+=(${found[@]+"${found[@]}"})
}

_fundflow() {
	local cur prev prefix="" i w cmd="" user="" db="" config=""
	local -a rest=()

	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=""
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# "--opt=value": bash splits it at '=' by COMP_WORDBREAKS, or not.
	if [[ $cur == = ]]; then
		cur=""
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		prefix=$prev=
		cur=${cur#*=}
	fi

	# The words before the current one: the global options with their
	# values apart, the command's words in rest.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--db=* | --config=* | --user=*)
			case $w in
			--db=*) db=${w#*=} ;;
			--config=*) config=${w#*=} ;;
			--user=*) user=${w#*=} ;;
			esac
			continue ;;
		--*=*) continue ;;
		--)	continue ;;
		--*)
			if _fundflow_valued "$w"; then
				local v=""
				if [[ ${COMP_WORDS[i + 1]-} == = ]]; then
					((i += 1))
				fi
				if ((i + 1 < COMP_CWORD)); then
					((i += 1))
					v=${COMP_WORDS[i]}
				fi
				case $w in
				--db) db=$v ;;
				--config) config=$v ;;
				--user) user=$v ;;
				esac
			fi
			continue ;;
		-h | =) continue ;;
		esac
		rest+=("$w")
	done

	# The command: one word, or two for the families.
	local nrest=${#rest[@]} used=0
	if ((nrest >= 1)); then
		case ${rest[0]} in
		branch | user | withdraw)
			if ((nrest >= 2)); then
				cmd="${rest[0]} ${rest[1]}"
				used=2
			fi ;;
		*)	cmd=${rest[0]}
			used=1 ;;
		esac
	fi

	# The value of an option.
	if _fundflow_valued "$prev" && [[ $prev == --* ]]; then
		case $prev in
		--db | --config | --digest | --verify-digest)
			_fundflow_files "$cur" ;;
		--role)
			_fundflow_words "admin reviewer auditor staff" "$cur" ;;
		--status)
			_fundflow_words "pending approved rejected cancelled" "$cur" ;;
		--format)
			_fundflow_words "journal" "$cur" ;;
		--type)
			[[ $cmd == ledger ]] &&
			    _fundflow_words "withdrawal" "$cur" ;;
		--branch)
			_fundflow_words "$(_fundflow_branches "${COMP_WORDS[0]}" \
			    "$user" "$db" "$config")" "$cur" ;;
		esac
		if [[ -n $prefix ]]; then
			for i in "${!COMPREPLY[@]}"; do
				COMPREPLY[i]=$prefix${COMPREPLY[i]}
			done
		fi
		return 0
	fi

	# An option: the command's, then the global ones.
	if [[ $cur == -* ]]; then
		_fundflow_words "$(_fundflow_options "$cmd") --db --config \
		    --user --json --csv --help --version" "$cur"
		return 0
	fi

	# A command, or the second word of a family.
	if ((nrest == 0)); then
		_fundflow_words "init demo branch user ingest consume \
		    withdraw accounts ledger incomes audit releases activity \
		    backup copy help" "$cur"
		return 0
	fi
	if [[ -z $cmd ]]; then
		case ${rest[0]} in
		branch) w="add list" ;;
		user) w="add passwd disable enable confirm list" ;;
		withdraw) w="apply approve reject cancel list" ;;
		esac
		_fundflow_words "$w" "$cur"
		return 0
	fi

	# A positional argument.
	local npos=$((nrest - used))
	case $cmd in
	ingest)
		((npos == 0)) && { _fundflow_files "$cur"; _fundflow_words "-" "$cur"; } ;;
	backup)
		((npos == 0)) && _fundflow_files "$cur" ;;
	copy)
		((npos == 0)) && _fundflow_files "$cur" ;;
	esac
	return 0
}

complete -F _fundflow fundflow
