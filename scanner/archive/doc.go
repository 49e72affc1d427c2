// Package archive recognises archives and compressed files by their content
// and reads their members: zip (jar, whl, nupkg, apk, vsix, docx and every
// other zip), tar, gzip, bzip2 and zstd. It decodes; it does not scan, and it
// never writes a member to disk under its own name.
//
// The scanner nests readers (a tar of gzip'd tars, a zip inside a jar), and
// a Budget shared by every level of one archive bounds the work an archive
// can cause: bytes out of its members, how much those exceed the archive's
// own size, how many members, how deep. Memory stays bounded: tar, gzip and
// bzip2 are streamed, and zip, which needs random access, reads the file in
// place or a copy spooled within the same budget.
//
// bzip2 decodes at tens of MB/s on one core (a 428 KB file in Go's tree,
// 64 MiB decoded, takes 1.3 s): one .bz2 can take most of a scan, so its
// blocks are decoded on several cores (bzip2par.go). compress/bzip2
// remains the only decoder: each block, found by its 48-bit magic at any
// bit offset, is cut out into a stream of one block that the standard
// reader decodes, the pieces are read out in order, and the stream's own
// checks (headers, combined CRC, what follows a stream) are repeated. At any anomaly the input is decoded again serially
// from its start and the bytes already given are skipped, so the caller
// sees exactly what bzip2.NewReader gives, bytes and errors. This keeps a
// copy of the compressed input (in memory up to SpoolInMemory, then in a
// temporary file); at most GOMAXPROCS blocks are in flight in the
// whole process, and a stream of one block is read serially.
package archive
