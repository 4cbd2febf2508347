#!/bin/sh
# make check: every #include "dir/..." must point left in the layer order (DESIGN.md, Layers):
#   util -> perfdata -> symbols -> unwind -> report -> cmd, sampler beside unwind.
# Inside report/, a room (hist, annotate, fold, script, stat) includes only itself and
# session/; session/ includes no other room. One exception: top/ (ptop's live view) may include
# hist/, whose histogram, sort keys and call graphs it shows live. Prints each include against the order; exit 1 if any.
cd "$(dirname "$0")/.." || exit 1
rank() {
	case $1 in
	util) echo 0 ;; perfdata) echo 1 ;; symbols) echo 2 ;;
	unwind|sampler) echo 3 ;; report) echo 4 ;; cmd) echo 5 ;; *) echo -1 ;;
	esac
}
bad=0
for f in $(find util perfdata symbols unwind sampler report cmd -name '*.[ch]' | sort); do
	from=${f%%/*}
	fr=$(rank "$from")
	room=$(echo "$f" | sed -n 's#^report/\([^/]*\)/.*#\1#p')
	for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		case $inc in */*) ;; *) continue ;; esac	# same-folder include
		to=${inc%%/*}
		tr=$(rank "$to")
		why=""
		if [ "$tr" -lt 0 ]; then
			why="unknown folder"
		elif [ "$from" = "$to" ]; then
			if [ "$from" = report ]; then
				troom=$(echo "$inc" | sed -n 's#^report/\([^/]*\)/.*#\1#p')
				if [ -z "$troom" ] || [ -z "$room" ]; then
					why="report/ files live in a room"
				elif [ "$troom" != "$room" ] && [ "$troom" != session ] &&
				     ! { [ "$room" = top ] && [ "$troom" = hist ]; }; then
					# the one exception: the live view (top/) is preport's histogram
					# (hist/: entries, sort keys, call-graph trees) fed live
					why="room $room/ includes room $troom/ (only session/ is shared)"
				fi
			fi
		elif [ "$tr" -ge "$fr" ]; then
			why="$from/ may include only folders left of it"
		fi
		if [ -n "$why" ]; then
			echo "layers: $f includes \"$inc\": $why" >&2
			bad=1
		fi
	done
done
[ $bad = 0 ] && echo "layers: every include follows util -> perfdata -> symbols -> unwind|sampler -> report -> cmd"
exit $bad
