"""Image files for the photo tests, made with Pillow: some carry metadata that must not stay."""

from __future__ import annotations

import io

from PIL import ExifTags, Image

# Words that must never survive re-encoding: they are only in the original's metadata.
GPS_CANARY = "GPS-CANARY-KEEP-OUT"
XMP_CANARY = "XMP-CANARY-KEEP-OUT"
COMMENT_CANARY = b"COMMENT-CANARY-KEEP-OUT"
TRAILER_CANARY = b"TRAILER-CANARY-KEEP-OUT"
XMP_PACKET = (
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    f'exif:GPSLatitude="30,2.5N" exif:UserComment="{XMP_CANARY}"/>'
    '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
).encode()
ROTATE_90_CLOCKWISE = 6


def picture(size: tuple[int, int] = (64, 48), mode: str = "RGB") -> Image.Image:
    """A small image with a left half red and a right half blue (half transparent in RGBA)."""
    image = Image.new(mode, size, "red")
    blue = (0, 0, 255, 128) if mode == "RGBA" else "blue"
    image.paste(blue, (size[0] // 2, 0, size[0], size[1]))
    return image


def encoded(image: Image.Image, image_format: str, **options: object) -> bytes:
    output = io.BytesIO()
    image.save(output, format=image_format, **options)
    return output.getvalue()


def jpeg_with_metadata() -> bytes:
    """A 64x48 JPEG whose EXIF says "turn it" and gives a GPS position, with XMP, a comment
    and data after its end marker."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = ROTATE_90_CLOCKWISE
    exif[ExifTags.Base.ImageDescription] = GPS_CANARY
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (30.0, 2.0, 40.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (31.0, 14.0, 8.0)
    gps[ExifTags.GPS.GPSProcessingMethod] = GPS_CANARY
    data = encoded(picture(), "JPEG", exif=exif, xmp=XMP_PACKET, comment=COMMENT_CANARY)
    return data + TRAILER_CANARY


def png(size: tuple[int, int] = (64, 48), mode: str = "RGB") -> bytes:
    return encoded(picture(size, mode), "PNG")


def webp(mode: str = "RGB") -> bytes:
    return encoded(picture(mode=mode), "WEBP")


def decompression_bomb() -> bytes:
    """A PNG of 48 million black pixels: a few kilobytes on disk, far more once decoded."""
    return encoded(Image.new("1", (8000, 6000)), "PNG")


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
TEXT = b"This is a letter, not a photo.\n"
