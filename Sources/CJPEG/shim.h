// libjpeg-turbo (Debian: libjpeg-dev), with decode/encode wrappers that turn
// libjpeg's fatal errors (its default handler calls exit()) into a return code
// and a message, through setjmp/longjmp, which Swift cannot do itself.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>

struct digits_jpeg_error {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

static void digits_jpeg_error_exit(j_common_ptr cinfo) {
    struct digits_jpeg_error *e = (struct digits_jpeg_error *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, e->message);
    longjmp(e->jump, 1);
}

static void digits_jpeg_quiet(j_common_ptr cinfo, int level) { (void)cinfo; (void)level; }

/// Decodes a JPEG to 8-bit grey. Returns 0 and a malloc'ed buffer in *pixels
/// (free with free()), or -1 with a message. Refuses images over max_pixels
/// before allocating them.
static inline int digits_jpeg_decode_grey(const unsigned char *data, unsigned long size, long max_pixels,
                                          unsigned char **pixels, int *width, int *height,
                                          char *message, int message_size) {
    struct jpeg_decompress_struct cinfo;
    struct digits_jpeg_error err;
    unsigned char *volatile out = NULL;
    *pixels = NULL;
    cinfo.err = jpeg_std_error(&err.pub);
    err.pub.error_exit = digits_jpeg_error_exit;
    err.pub.emit_message = digits_jpeg_quiet;
    if (setjmp(err.jump)) {
        snprintf(message, message_size, "%s", err.message);
        jpeg_destroy_decompress(&cinfo);
        free(out);
        return -1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, size);
    jpeg_read_header(&cinfo, TRUE);
    if ((long)cinfo.image_width * (long)cinfo.image_height > max_pixels) {
        snprintf(message, message_size, "is %ux%u pixels, over the limit of %ld", cinfo.image_width, cinfo.image_height, max_pixels);
        jpeg_destroy_decompress(&cinfo);
        return -1;
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
