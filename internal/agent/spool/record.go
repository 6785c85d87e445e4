package spool

import (
	"encoding/binary"
	"hash/crc32"
)

// A record is [len u32][crc u32][seq u64][data], little endian, where len
// is the length of data and crc the CRC-32C of len, seq and data.
const recordHeader = 16

// The head of every segment file: magic and format version.
const segmentMagic = "PKSP\x01\x00\x00\x00"

func recordCRC(hdr []byte, data []byte) uint32 {
	c := crc32.Update(0, castagnoli(), hdr[0:4])
	c = crc32.Update(c, castagnoli(), hdr[8:16])
	return crc32.Update(c, castagnoli(), data)
}

// castagnoli returns the CRC-32C table; crc32.MakeTable caches it.
func castagnoli() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) }

// appendRecord appends the record of seq and data to b.
func appendRecord(b []byte, seq uint64, data []byte) []byte {
	n := len(b)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint64(b, seq)
	b = append(b, data...)
	binary.LittleEndian.PutUint32(b[n+4:], recordCRC(b[n:n+recordHeader], data))
	return b
}

// parseHeader splits a record header into its length, crc and seq.
func parseHeader(hdr []byte) (n uint32, crc uint32, seq uint64) {
	return binary.LittleEndian.Uint32(hdr[0:4]), binary.LittleEndian.Uint32(hdr[4:8]), binary.LittleEndian.Uint64(hdr[8:16])
}
