/**
 * The hand-written FFM bindings to the kernel interface: the only package that touches raw native
 * memory or calls native code. Internal to veloq-io-uring: public only so the ring, driver and
 * buffer packages (and the file/socket layer) can use it; not a user API.
 *
 * <p>What lives here, one concept per class:
 * <ul>
 *   <li>{@link io.veloq.uring.ffi.IoUringLayouts}, {@link io.veloq.uring.ffi.PosixLayouts}: struct
 *       layouts, each member with its C type;</li>
 *   <li>{@link io.veloq.uring.ffi.IoUringConstants}, {@link io.veloq.uring.ffi.PosixConstants},
 *       {@link io.veloq.uring.ffi.Errno}: constants named exactly as in C;</li>
 *   <li>{@link io.veloq.uring.ffi.IoUringSyscalls}, {@link io.veloq.uring.ffi.LibC}: downcalls that
 *       return {@code -errno} on failure;</li>
 *   <li>{@link io.veloq.uring.ffi.Sqe}, {@link io.veloq.uring.ffi.RingMemory},
 *       {@link io.veloq.uring.ffi.IoUringParams}, {@link io.veloq.uring.ffi.Structs},
 *       {@link io.veloq.uring.ffi.SockAddrs}, {@link io.veloq.uring.ffi.Statx},
 *       {@link io.veloq.uring.ffi.MsgHdr}, {@link io.veloq.uring.ffi.IntCell}: typed access to
 *       those structs and scalars, each accessor naming its member and C type. Code outside this
 *       package goes through them and never reads or writes a kernel struct's memory itself
 *       (STYLE rule 8); it only allocates them (through these classes) and passes addresses.</li>
 * </ul>
 *
 * <p>Rules every class here keeps:
 * <ol>
 *   <li>Layouts are declared once; var handles are derived from them by member name, never from
 *       hand-counted offsets. The layout probe test ({@code native/probe/layout_probe.c}) checks
 *       every struct size, member offset and member size, every scalar type's size and every
 *       public constant against the system's C headers, and each typed accessor against a struct
 *       C filled in; it fails on any difference.</li>
 *   <li>Errors come back as {@code -errno} (the CQE convention) and become exceptions in one place,
 *       {@link io.veloq.uring.ffi.Errno#exception(int, String)}; expected errnos are handled by name
 *       by the caller first.</li>
 *   <li>A call-state segment (errno capture) is owned by one thread at a time: the ring owner keeps
 *       one for the hot path; cold paths allocate one per call.</li>
 *   <li>Memory whose address is written into an SQE must outlive the operation's completion; the
 *       classes here cannot check that, the driver's protocol does (see {@code io.veloq.uring}).</li>
 * </ol>
 */
package io.veloq.uring.ffi;
