// libjpeg-turbo (Debian: libjpeg-dev), with decode/encode wrappers that turn
// libjpeg's fatal errors (its default handler calls exit()) into a return code
// and a message, through setjmp/longjmp, which Swift cannot do itself.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>
#include <jerror.h>

struct digits_jpeg_error {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
    /* Why decoding stopped: DIGITS_JPEG_INVALID, _DAMAGED or _TOO_MANY_SCANS. */
    volatile int outcome;
};

#define DIGITS_JPEG_INVALID (-1)
#define DIGITS_JPEG_TOO_LARGE (-2)
#define DIGITS_JPEG_DAMAGED (-3)
#define DIGITS_JPEG_TOO_MANY_SCANS (-4)

static void digits_jpeg_error_exit(j_common_ptr cinfo) {
    struct digits_jpeg_error *e = (struct digits_jpeg_error *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, e->message);
    longjmp(e->jump, 1);
}

static void digits_jpeg_quiet(j_common_ptr cinfo, int level) { (void)cinfo; (void)level; }

/// A decoder's warnings that mean the picture's data is damaged (cut short,
/// bad codes, markers in the middle of data) are errors: libjpeg would fill
/// the missing part with grey and report success, and a cut picture of a 7
/// would be read confidently as some other digit. Harmless warnings (stray
/// bytes between markers, unknown JFIF versions or colour transforms) stay
/// quiet. Trace messages (level >= 0) are ignored.
static void digits_jpeg_warning_is_error(j_common_ptr cinfo, int level) {
    if (level >= 0) return;
    switch (cinfo->err->msg_code) {
    case JWRN_JPEG_EOF: case JWRN_HIT_MARKER: case JWRN_HUFF_BAD_CODE: case JWRN_ARITH_BAD_CODE:
    case JWRN_MUST_RESYNC: case JWRN_NOT_SEQUENTIAL: case JWRN_BOGUS_PROGRESSION:
        ((struct digits_jpeg_error *)cinfo->err)->outcome = DIGITS_JPEG_DAMAGED;
        cinfo->err->error_exit(cinfo);
        break;
    default:
        break;
    }
}

/// Each scan of a progressive JPEG makes the decoder pass over the whole
/// picture again, so a small file of many scans is a CPU bomb (2 MB of
/// 30,000 scans took 124 s). Real encoders write about 10 (libjpeg's
/// progressive script: 6 for grey, 10 for colour); libjpeg-turbo's own tools
/// stop at 500. Checked from libjpeg's progress monitor, which it calls
/// between scans and rows while it reads the file.
#define DIGITS_JPEG_MAX_SCANS 100

static void digits_jpeg_count_scans(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) return;
    if (((j_decompress_ptr)cinfo)->input_scan_number > DIGITS_JPEG_MAX_SCANS) {
        struct digits_jpeg_error *e = (struct digits_jpeg_error *)cinfo->err;
        e->outcome = DIGITS_JPEG_TOO_MANY_SCANS;
        snprintf(e->message, sizeof e->message, "more than %d scans", DIGITS_JPEG_MAX_SCANS);
        longjmp(e->jump, 1);
    }
}

/// Decodes a JPEG to 8-bit grey. Returns 0 and a malloc'ed buffer in *pixels
/// (free with free()), or one of the DIGITS_JPEG_ outcomes with a message.
/// Refuses images over max_pixels before allocating them (the message is then
/// "is WxH pixels…").
static inline int digits_jpeg_decode_grey(const unsigned char *data, unsigned long size, long max_pixels,
                                          unsigned char **pixels, int *width, int *height,
                                          char *message, int message_size) {
    struct jpeg_decompress_struct cinfo;
    struct digits_jpeg_error err;
    struct jpeg_progress_mgr progress;
    unsigned char *volatile out = NULL;
    *pixels = NULL;
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = digits_jpeg_error_exit;
    err.pub.emit_message = digits_jpeg_warning_is_error;
    err.outcome = DIGITS_JPEG_INVALID;
    memset(&progress, 0, sizeof progress);
    progress.progress_monitor = digits_jpeg_count_scans;
    if (setjmp(err.jump)) {
        snprintf(message, message_size, "%s", err.message);
        jpeg_destroy_decompress(&cinfo);
        free(out);
        return err.outcome;
    }
    jpeg_create_decompress(&cinfo);
    cinfo.progress = &progress;
    jpeg_mem_src(&cinfo, data, size);
    jpeg_read_header(&cinfo, TRUE);
    if ((long)cinfo.image_width * (long)cinfo.image_height > max_pixels) {
        snprintf(message, message_size, "is %ux%u pixels, over the limit of %ld", cinfo.image_width, cinfo.image_height, max_pixels);
        jpeg_destroy_decompress(&cinfo);
        return DIGITS_JPEG_TOO_LARGE;
    }
    cinfo.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&cinfo);
    int w = (int)cinfo.output_width, h = (int)cinfo.output_height;
    out = (unsigned char *)malloc((size_t)w * (size_t)h);
    if (!out) { snprintf(message, message_size, "out of memory"); jpeg_destroy_decompress(&cinfo); return -1; }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = out + (size_t)cinfo.output_scanline * (size_t)w;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    *pixels = out; *width = w; *height = h;
    return 0;
}

/// Encodes 8-bit grey pixels as a JPEG of the given quality into a malloc'ed buffer.
static inline int digits_jpeg_encode_grey(const unsigned char *pixels, int width, int height, int quality,
                                          unsigned char **out, unsigned long *out_size,
                                          char *message, int message_size) {
    struct jpeg_compress_struct cinfo;
    struct digits_jpeg_error err;
    *out = NULL; *out_size = 0;
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = digits_jpeg_error_exit;
    err.pub.emit_message = digits_jpeg_quiet;
    if (setjmp(err.jump)) {
        snprintf(message, message_size, "%s", err.message);
        jpeg_destroy_compress(&cinfo);
        return -1;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, out, out_size);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = 1;
    cinfo.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * (size_t)width);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    return 0;
}
