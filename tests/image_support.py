"""Shared by the image tests: whether anything is drawn on an image's outermost pixels."""

from PIL import Image


def ink_at_the_edges(image: Image.Image, frame: int = 3) -> dict[str, int]:
    """Pixels that are not the white background in the outermost `frame` pixels of each side."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    strips = {
        "左": (0, 0, frame, height),
        "右": (width - frame, 0, width, height),
        "上": (0, 0, width, frame),
        "下": (0, height - frame, width, height),
    }
    out = {}
    for side, box in strips.items():
        inked = sum(n for n, colour in rgb.crop(box).getcolors(maxcolors=1 << 20) if colour != (255, 255, 255))
        if inked:
            out[side] = inked
    return out
