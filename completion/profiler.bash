# bash completion for the twelve commands: pstat, precord, preport, pannotate, pfold, pscript,
# plist, pprobe, ptop, pinject, pbuildid-cache and parchive.
# Installed by `make install` as one file per command under share/bash-completion/completions
# (bash-completion loads it on the first TAB after the command's name); or source it.
# Options come from each command itself (--list-opts, which every command answers; the long
# options of its --help if it does not), event names from `plist --raw-dump`, metric names from
# `plist --raw-dump metrics metricgroups`, as perf's completion asks perf.

_profiler_opts()	# the long options of command $1
{
	local out
	out=$("$1" --list-opts 2>/dev/null) && [ -n "$out" ] && { printf '%s\n' "$out"; return; }
	"$1" --help 2>&1 | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

_profiler_words()	# complete $cur, a comma-separated list, from the words $1
{
	local prefix="" last=$cur
	if [[ $cur == *,* ]]; then
		prefix=${cur%,*},
		last=${cur##*,}
	fi
	local IFS=$' \t\n'
	COMPREPLY=($(compgen -P "$prefix" -W "$1" -- "$last"))
	# a tracepoint's ':' splits words in bash: complete only what follows the last one
	if [[ $COMP_WORDBREAKS == *:* && $cur == *:* ]]; then
		local colon=${cur%"${cur##*:}"}
		local i
		for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=${COMPREPLY[i]#"$colon"}; done
	fi
}

_profiler_complete()
{
	local cmd=${COMP_WORDS[0]} cur prev
	COMPREPLY=()
	# the word under the cursor and the one before, from the line itself: bash's own words
	# are split at the ':' of tracepoints and probes
	cur=${COMP_LINE:0:COMP_POINT}
	cur=${cur##*[[:space:]]}
	local before=${COMP_LINE:0:COMP_POINT}
	before=${before%"$cur"}
	before=${before%%+([[:space:]])}
	prev=${before##*[[:space:]]}

	if [[ $cmd == *pbuildid-cache ]]; then	# its options all take files
		case $prev in -a|--add|-r|--remove|-p|--purge|-M|--missing)
			COMPREPLY=($(compgen -f -- "$cur")); return ;;
		esac
	fi
	case $prev in
	-e|--event)
		[[ $cmd == *pstat || $cmd == *precord || $cmd == *ptop ]] && { _profiler_words "$(plist --raw-dump 2>/dev/null)"; return; } ;;
	-M|--metrics)
		_profiler_words "$(plist --raw-dump metrics 2>/dev/null) $(plist --raw-dump metricgroups 2>/dev/null)"; return ;;
	--raw-dump)
		_profiler_words "hw sw cache tracepoint pmu sdt metrics metricgroups"; return ;;
	-p|--pid)
		_profiler_words "$(ls /proc | grep -E '^[0-9]+$')"; return ;;
	-d|--del)
		[[ $cmd == *pprobe ]] && { _profiler_words "$(pprobe -l 2>/dev/null | awk '{ print $1 }')"; return; } ;;
	-i|--input|-o|--output|-x|--exec)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		_profiler_words "$(_profiler_opts "$cmd")"
		return
	fi
	case $cmd in
	*pstat|*precord)	# the command to run
		COMPREPLY=($(compgen -c -- "$cur")) ;;
	*plist)
		_profiler_words "hw sw cache pmu tracepoint" ;;
	*)
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}

shopt -s extglob
complete -F _profiler_complete pstat precord preport pannotate pfold pscript plist pprobe ptop \
	pinject pbuildid-cache parchive
