//! Uploaded photos: judged by their bytes, decoded, and written anew as JPEG, so nothing from the
//! original file (EXIF, GPS position, embedded scripts, colour-profile tricks) reaches other people.
use image::{codecs::jpeg::JpegEncoder, DynamicImage, ImageFormat, ImageReader};
use std::io::Cursor;

/// Largest upload accepted, before decoding.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Long edge of the stored photo and of its thumbnail.
pub const FULL_EDGE: u32 = 1600;
pub const THUMB_EDGE: u32 = 400;
/// Decoding limits guard against "decompression bombs": small files that claim huge sizes. 40 MP
/// is more than any phone camera takes (a 200 MP sensor saves 12.5 MP by default).
pub const MAX_PIXELS: u64 = 40_000_000;
const MAX_PIXELS_EDGE: u32 = 12_000;
const MAX_ALLOC: u64 = 256 * 1024 * 1024;
/// Photos decoded at once, server-wide: decoding is CPU-bound and must not starve the requests
/// around it (it runs on blocking threads, never on the async workers).
const DECODERS: usize = 2;

static DECODING: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(DECODERS));

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("file is larger than 10 MB")]
    TooLarge,
    #[error("file is not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("image could not be read")]
    Decode,
    #[error("image has more than 40 megapixels")]
    TooManyPixels,
}

pub struct Processed {
    pub full: Vec<u8>,
    pub thumb: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The format named by the file's first bytes; HEIC from phones arrives already converted to JPEG.
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(ImageFormat::Jpeg),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(ImageFormat::Png),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(ImageFormat::WebP),
        _ => None,
    }
}

fn jpeg(img: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    // JPEG has no alpha: flatten to RGB first.
    let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
    JpegEncoder::new_with_quality(&mut out, 82).encode_image(&rgb).map_err(|_| ImageError::Decode)?;
    Ok(out)
}

/// Checks, decodes, orients nothing (the pixels are taken as stored), resizes and re-encodes.
pub fn process(bytes: &[u8]) -> Result<Processed, ImageError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImageError::TooLarge);
    }
    let format = sniff(bytes).ok_or(ImageError::NotAnImage)?;
    // The header's size first: a bomb is refused before a single pixel is allocated.
    let (w, h) =
        ImageReader::with_format(Cursor::new(bytes), format).into_dimensions().map_err(|_| ImageError::Decode)?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(ImageError::TooManyPixels);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_PIXELS_EDGE);
    limits.max_image_height = Some(MAX_PIXELS_EDGE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(|_| ImageError::Decode)?;
    let full =
        if img.width() > FULL_EDGE || img.height() > FULL_EDGE { img.thumbnail(FULL_EDGE, FULL_EDGE) } else { img };
    let thumb = full.thumbnail(THUMB_EDGE, THUMB_EDGE);
    Ok(Processed { full: jpeg(&full)?, thumb: jpeg(&thumb)?, width: full.width(), height: full.height() })
}

/// [`process`] on a blocking thread, at most [`DECODERS`] at a time across the server.
pub async fn process_off_thread(bytes: Vec<u8>) -> Result<Processed, ImageError> {
    let _permit = DECODING.acquire().await.map_err(|_| ImageError::Decode)?;
    tokio::task::spawn_blocking(move || process(&bytes)).await.map_err(|_| ImageError::Decode)?
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(w, h, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
        out
    }

    #[test]
    fn re_encodes_and_resizes() {
        let p = process(&png(2400, 1200)).unwrap();
        assert_eq!((p.width, p.height), (1600, 800));
        assert_eq!(sniff(&p.full), Some(ImageFormat::Jpeg));
        let t = image::load_from_memory(&p.thumb).unwrap();
        assert_eq!(t.width(), 400);
    }

    #[test]
    fn strips_exif() {
        // A JPEG with an APP1 "Exif" segment carrying a GPS-like marker string.
        let clean = jpeg(&DynamicImage::ImageRgb8(RgbImage::new(20, 20))).unwrap();
        let mut tagged = clean[..2].to_vec();
        let payload = b"Exif\0\0GPSLatitude=45.69";
        tagged.extend_from_slice(&[0xFF, 0xE1, 0, (payload.len() + 2) as u8]);
        tagged.extend_from_slice(payload);
        tagged.extend_from_slice(&clean[2..]);
        assert!(tagged.windows(11).any(|w| w == b"GPSLatitude"));
        let p = process(&tagged).unwrap();
        assert!(!p.full.windows(4).any(|w| w == b"Exif"));
        assert!(!p.full.windows(11).any(|w| w == b"GPSLatitude"));
    }

    #[test]
    fn rejects_by_content() {
        assert_eq!(process(b"<svg onload=alert(1)>").err(), Some(ImageError::NotAnImage));
        let mut fake = vec![0xFF, 0xD8, 0xFF];
        fake.extend_from_slice(b"not really a jpeg");
        assert_eq!(process(&fake).err(), Some(ImageError::Decode));
        assert_eq!(process(&vec![0u8; MAX_BYTES + 1]).err(), Some(ImageError::TooLarge));
    }

    #[test]
    fn refuses_more_pixels_than_a_phone_takes_before_decoding() {
        // A valid PNG header claiming 11,900 × 11,900 (141 MP): refused from the header alone.
        let mut header = png(1, 1);
        header[16..20].copy_from_slice(&11_900u32.to_be_bytes());
        header[20..24].copy_from_slice(&11_900u32.to_be_bytes());
        // The IHDR chunk's CRC (over its type and data, bytes 12..29) must match again.
        let crc = (0..17).fold(!0u32, |c, i| {
            (0..8).fold(c ^ u32::from(header[12 + i]), |c, _| if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 })
        });
        header[29..33].copy_from_slice(&(!crc).to_be_bytes());
        assert_eq!(process(&header).err(), Some(ImageError::TooManyPixels));
    }
}
