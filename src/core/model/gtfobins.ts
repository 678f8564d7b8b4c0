// Names of the binaries the public GTFOBins catalogue lists: Unix programs
// that can open a shell, run code, or read and write files beyond what their
// job suggests once they are allowed to run with extra rights or arbitrary
// arguments. Only the names are kept (facts, not the catalogue's text). The
// classifier uses membership as a prior: a command run by one of these
// binaries deserves a closer look even when its arguments look plain, which
// ranks GTFOBins-style snippets of binaries it never saw in training.

const NAMES = [
  `7z R aa-exec ab acr adiff agetty alpine ansible-playbook ansible-playground ansible-test aoss apache apache2`,
  `apache2ctl apport-cli apt apt-get aptitude ar arch-nspawn aria2c arj arp as ascii-xfr ascii85 ash aspell`,
  `asterisk at atobm autoconf autoheader autoreconf awk aws base32 base58 base64 basenc basez bash bashbug`,
  `batcat bbot bc bconsole bee borg bpftrace bridge bun bundle bundler busctl busybox byebug bzip2 c89 c99 cabal`,
  `cancel capsh cargo cat cc cdist certbot chattr check_by_ssh check_cups check_log check_memory check_raid`,
  `check_ssl_cert check_statusfile chmod choom chown chroot chrt clamscan clisp cmake cmp cobc code codex column`,
  `comm composer cowsay cowthink cp cpan cpio cpulimit crash crontab csh csplit csvtool ctr cupsfilter curl cut`,
  `dash date dc dd debugfs dhclient dialog diff dig distcc dmesg dmidecode dmsetup dnf dnsmasq doas docker`,
  `dos2unix dosbox dotnet dpkg dstat dvips easy_install easyrsa eb ed efax egrep elvish emacs enscript env eqn`,
  `espeak ex exiftool expand expect facter fail2ban-client fastfetch ffmpeg fgrep file find finger firejail fish`,
  `flock fmt fold forge fping ftp fzf g++ gawk gcc gcloud gcore gdb gem genie genisoimage getent ghc ghci gimp`,
  `ginsh git gnuplot go grc grep gtester guile gzip hashcat hd head hexdump hg highlight hping3 iconv iftop`,
  `install ionice ip iptables-save irb ispell java jjs joe join journalctl jq jrunscript jshell jtag julia knife`,
  `ksh ksshell ksu kubectl last lastb latex latexmk ld ld.so ldconfig less lftp links ln loginctl logrotate`,
  `logsave look lp ltrace lua lualatex luatex lwp-download lwp-request lxd m4 mail make man mawk minicom more`,
  `mosh-server mosquitto mount msfconsole msgattrib msgcat msgconv msgfilter msgmerge msguniq mtr multitime mutt`,
  `mv mypy mysql nano nasm nawk nc ncdu ncftp needrestart neofetch nft nginx nice nl nm nmap node nohup npm`,
  `nroff nsenter ntpdate nvim octave od opencode openssl openvpn openvt opkg pandoc passwd paste pax pdb`,
  `pdflatex pdftex perf perl perlbug pexec pg php pic pico pidstat pip pipx pkexec pkg pkttyagent plymouth`,
  `podman poetry posh pr procmail pry psftp psql ptx puppet pwsh pygmentize pyright python qpdf rake ranger rc`,
  `readelf realpath red redcarpet redis restic rev rlogin rlwrap rpm rpmdb rpmquery rpmverify rsync rsyslogd`,
  `rtorrent ruby run-mailcap run-parts runscript rustc rustdoc rustfmt rustup rview rvim sash scanmem scp screen`,
  `script scrot sed service setarch setcap setfacl setlock sftp sg shred shuf slsh smbclient snap socat socket`,
  `soelim softlimit sort split sqlite3 sqlmap ss ssh ssh-agent ssh-copy-id ssh-keygen ssh-keyscan sshfs sshpass`,
  `sshuttle start-stop-daemon stdbuf strace strings su sudo sysctl systemctl systemd-resolve systemd-run tac`,
  `tail tailscale tar task taskset tasksh tbl tclsh tcpdump tcsh tdbtool tee telnet terraform tex tftp tic time`,
  `timedatectl timeout tmate tmux top torify torsocks troff tsc tshark ul unexpand uniq unshare unsquashfs unzip`,
  `update-alternatives urlget uudecode uuencode uv vagrant valgrind varnishncsa vi view vigr vim vimdiff vipw`,
  `virsh volatility w3m wall watch wc wg-quick wget whiptail whois wireshark wish xargs xdg-user-dir xdotool`,
  `xelatex xetex xmodmap xmore xpad xxd xz yarn yash yelp yt-dlp yum zathura zcat zgrep zic zip zless zsh`,
  `zsoelim zypper`,
];

export const GTFOBINS: ReadonlySet<string> = new Set(NAMES.join(' ').split(' '));
