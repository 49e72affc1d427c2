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
package archive
