package collector

// The series the agent writes. Rules, presets and the UI read these
// names; change them only together.
const (
	// CPU, as a percentage of the time elapsed over the last interval,
	// rounded to 1/16 (for cpu="all" the time of all cores, so 0-100 like
	// a single core): labels cpu ("all" or the core number) and mode
	// (user, nice, system, idle, iowait, irq, softirq, steal).
	CPUPercent = "picket_host_cpu_percent"
	CPUCores   = "picket_host_cpu_cores"

	// Memory and swap in bytes: label kind (total, used, free, available,
	// buffers, cached for memory; total, used, free for swap).
	MemoryBytes = "picket_host_memory_bytes"
	SwapBytes   = "picket_host_swap_bytes"

	// Filesystems (pseudo filesystems skipped): labels mountpoint, device,
	// fstype, and kind (size, used, free, avail) or (total, used, free).
	FilesystemBytes  = "picket_host_filesystem_bytes"
	FilesystemInodes = "picket_host_filesystem_inodes"

	// Disk I/O counters: label device.
	DiskReadBytes    = "picket_host_disk_read_bytes_total"
	DiskWrittenBytes = "picket_host_disk_written_bytes_total"
	DiskReads        = "picket_host_disk_reads_total"
	DiskWrites       = "picket_host_disk_writes_total"
	DiskBusySeconds  = "picket_host_disk_io_time_seconds_total"

	// Network counters: label interface.
	NetReceiveBytes    = "picket_host_network_receive_bytes_total"
	NetTransmitBytes   = "picket_host_network_transmit_bytes_total"
	NetReceivePackets  = "picket_host_network_receive_packets_total"
	NetTransmitPackets = "picket_host_network_transmit_packets_total"
	NetReceiveErrors   = "picket_host_network_receive_errors_total"
	NetTransmitErrors  = "picket_host_network_transmit_errors_total"
	NetReceiveDrops    = "picket_host_network_receive_drops_total"
	NetTransmitDrops   = "picket_host_network_transmit_drops_total"

	Load1         = "picket_host_load1"
	Load5         = "picket_host_load5"
	Load15        = "picket_host_load15"
	UptimeSeconds = "picket_host_uptime_seconds"

	// Processes, aggregated by name (the full table travels apart, see
	// process.go): label name.
	ProcessCount      = "picket_host_process_count"
	ProcessCPUPercent = "picket_host_process_cpu_percent"
	ProcessRSSBytes   = "picket_host_process_rss_bytes"
	ProcessesTotal    = "picket_host_processes"

	// Hardware temperatures in °C, rounded to 1/16: labels chip and
	// sensor (see sensors.go).
	TemperatureCelsius = "picket_host_temperature_celsius"

	// Systemd units: labels unit and state (active, failed, ...), value 1
	// for the unit's current state.
	SystemdUnitState = "picket_host_systemd_unit_state"
)
