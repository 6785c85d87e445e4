package main

import (
	"fmt"
	"time"
)

// listedFamilies is how many metric names part 3 lists for each TSDB,
// those with the most chunk bytes; the others are summed on one line.
const listedFamilies = 12

// printDisk prints part 3: a line per TSDB, then its metric names.
func printDisk(ds []diskResult) {
	fmt.Println("3. bytes on disk per sample, after store.Compact wrote the head into one block")
	tw := table()
	fmt.Fprintf(tw, "data\tspan\tseries\tsamples\tchunk bytes\tbytes/sample (chunks)\tindex bytes\tbytes/sample (chunks+index)\n")
	for _, d := range ds {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%.3f\t%d\t%.3f\n", d.what, d.span.Round(time.Second), d.series, d.samples,
			d.chunkBytes, perSample(d.chunkBytes, d.samples), d.idx, perSample(d.chunkBytes+d.idx, d.samples))
	}
	tw.Flush()
	for _, d := range ds {
		fmt.Printf("\n%s: chunk bytes by metric name, most first\n", d.what)
		printFamilies(d)
	}
	fmt.Println()
}

func printFamilies(d diskResult) {
	tw := table()
	fmt.Fprintf(tw, "metric\tseries\tsamples\tchunks\tchunk bytes\tbytes/sample\tshare of chunk bytes\n")
	var rest struct {
		names, series, samples, chunks int
		bytes                          int64
	}
	for i, f := range d.families {
		if i < listedFamilies {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.3f\t%.1f %%\n", f.Name, f.Series, f.Samples, f.Chunks, f.Bytes,
				perSample(f.Bytes, uint64(f.Samples)), 100*float64(f.Bytes)/float64(d.chunkBytes))
			continue
		}
		rest.names, rest.series, rest.samples = rest.names+1, rest.series+f.Series, rest.samples+f.Samples
		rest.chunks, rest.bytes = rest.chunks+f.Chunks, rest.bytes+f.Bytes
	}
	if rest.names > 0 {
		fmt.Fprintf(tw, "the other %d names\t%d\t%d\t%d\t%d\t%.3f\t%.1f %%\n", rest.names, rest.series, rest.samples, rest.chunks,
			rest.bytes, perSample(rest.bytes, uint64(rest.samples)), 100*float64(rest.bytes)/float64(d.chunkBytes))
	}
	tw.Flush()
}

func perSample(bytes int64, samples uint64) float64 {
	if samples == 0 {
		return 0
	}
	return float64(bytes) / float64(samples)
}
