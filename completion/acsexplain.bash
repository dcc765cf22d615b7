# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for acsexplain(8): every option, the values of --source
# and --what-if, files for --from/--groups/--save, and the PCI devices of
# this machine (addresses from /sys/bus/pci/devices, VENDOR:DEVICE for
# --validate-quirk).  tests/install/run.sh checks the options against
# `acsexplain --help`.

_acsexplain_addresses()
{
	local d
	for d in /sys/bus/pci/devices/*; do
		[ -e "$d" ] && printf '%s\n' "${d##*/}"
	done
}

_acsexplain_ids()
{
	local d v i
	for d in /sys/bus/pci/devices/*; do
		[ -r "$d/vendor" ] && [ -r "$d/device" ] || continue
		read -r v <"$d/vendor"
		read -r i <"$d/device"
		printf '%s:%s\n' "${v#0x}" "${i#0x}"
	done | sort -u
}

_acsexplain()
{
	local cur prev words cword split
	_init_completion -s -n : || return

	local opts="--all --json --no-color --color --source --from --groups
		--save --kernel --what-if --plan --audit --validate-quirk
		--check-kernel --kernel-cmdline --patch --linux-src --version --help
		-a -j -s -f -g -S -k -w -p -A -Q -V -h"

	case $prev in
	-s | --source)
		COMPREPLY=($(compgen -W 'auto netlink sysfs' -- "$cur"))
		return
		;;
	-f | --from | -g | --groups | -S | --save | --patch | --linux-src)
		_filedir
		return
		;;
	-Q | --validate-quirk)
		COMPREPLY=($(compgen -W "$(_acsexplain_ids)" -- "$cur"))
		__ltrim_colon_completions "$cur"
		return
		;;
	-w | --what-if)
		case $cur in
		acs-override=*)
			local pre=${cur%"${cur##*[=,]}"}
			COMPREPLY=($(compgen -P "$pre" -W 'downstream multifunction id:' \
				-- "${cur##*[=,]}"))
			compopt -o nospace
			;;
		iommu=*)
			COMPREPLY=($(compgen -P iommu= -W 'on off' -- "${cur#*=}"))
			;;
		disable-acs-redir=* | move=*)
			local pre=${cur%%=*}=
			COMPREPLY=($(compgen -P "$pre" -W "$(_acsexplain_addresses)" \
				-- "${cur#*=}"))
			;;
		*)
			COMPREPLY=($(compgen -W 'acs-override= quirk= disable-acs-redir=
				config-acs= kernel= move= iommu=' -- "$cur"))
			compopt -o nospace
			;;
		esac
		__ltrim_colon_completions "$cur"
		return
		;;
	-k | --kernel | --kernel-cmdline)
		return
		;;
	esac

	$split && return

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -W "$(_acsexplain_addresses)" -- "$cur"))
	__ltrim_colon_completions "$cur"
} &&
	complete -F _acsexplain acsexplain
