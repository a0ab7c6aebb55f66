"""Draws the ConvLens logo: a 3x3 convolution grid seen through a magnifying lens.

Writes logo-svg.svg and rasterises the same shapes into logo-32x32.png and
logo-64x64.png with only the standard library (zlib + struct), 4x4 supersampled.
Run: python3 kernelspec/make_logos.py
"""
from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
BACKGROUND = (28, 43, 74)
CELL_COLORS = [(236, 112, 99), (245, 176, 65), (88, 214, 141),
               (93, 173, 226), (175, 122, 197), (244, 208, 63),
               (72, 201, 176), (235, 152, 78), (133, 193, 233)]
RING = (250, 250, 250)

# Geometry in a 64-unit square.
CELL, GAP, ORIGIN = 12, 3, 9.5
LENS_CENTER, LENS_RADIUS, RING_WIDTH = (27.0, 27.0), 15.0, 3.5
HANDLE = ((38.0, 38.0), (55.0, 55.0), 3.2)


def cell_rect(index: int) -> tuple[float, float, float, float]:
    row, column = divmod(index, 3)
    x = ORIGIN + column * (CELL + GAP)
    y = ORIGIN + row * (CELL + GAP)
    return x, y, x + CELL, y + CELL


def distance_to_segment(px, py, a, b):
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def color_at(x: float, y: float):
    """RGBA of the logo at (x, y) in 64-unit coordinates."""
    if not (2 <= x <= 62 and 2 <= y <= 62):
        return (0, 0, 0, 0)
    color = BACKGROUND
    inside_lens = math.hypot(x - LENS_CENTER[0], y - LENS_CENTER[1]) < LENS_RADIUS
    for index in range(9):
        left, top, right, bottom = cell_rect(index)
        if left <= x <= right and top <= y <= bottom:
            base = CELL_COLORS[index]
            # Cells look brighter through the lens.
            color = tuple(min(255, int(c * 1.15 + 20)) for c in base) if inside_lens else \
                tuple(int(c * 0.55) for c in base)
    ring = abs(math.hypot(x - LENS_CENTER[0], y - LENS_CENTER[1]) - LENS_RADIUS)
    if ring < RING_WIDTH / 2 or distance_to_segment(x, y, HANDLE[0], HANDLE[1]) < HANDLE[2]:
        color = RING
    return (*color, 255)


def render(size: int, samples: int = 4) -> bytes:
    rows = []
    scale = 64 / size
    for py in range(size):
        row = bytearray([0])  # filter type: none
        for px in range(size):
            total = [0, 0, 0, 0]
            for sy in range(samples):
                for sx in range(samples):
                    rgba = color_at((px + (sx + 0.5) / samples) * scale, (py + (sy + 0.5) / samples) * scale)
                    alpha = rgba[3]
                    for channel in range(3):
                        total[channel] += rgba[channel] * alpha
                    total[3] += alpha
            count = samples * samples
            if total[3] == 0:
                row += bytes(4)
            else:
                row += bytes([round(total[c] / total[3]) for c in range(3)] + [round(total[3] / count)])
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def svg() -> str:
    def hex_color(rgb):
        return "#%02x%02x%02x" % rgb

    cells = []
    for index in range(9):
        left, top, right, bottom = cell_rect(index)
        cells.append(f'<rect x="{left}" y="{top}" width="{CELL}" height="{CELL}" rx="1.5" '
                     f'fill="{hex_color(CELL_COLORS[index])}"/>')
    cx, cy = LENS_CENTER
    (hx1, hy1), (hx2, hy2), handle_radius = HANDLE
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
  <title>ConvLens</title>
  <defs><clipPath id="lens"><circle cx="{cx}" cy="{cy}" r="{LENS_RADIUS}"/></clipPath></defs>
  <rect x="2" y="2" width="60" height="60" rx="6" fill="{hex_color(BACKGROUND)}"/>
  <g opacity="0.55">{''.join(cells)}</g>
  <g clip-path="url(#lens)">{''.join(cells)}</g>
  <circle cx="{cx}" cy="{cy}" r="{LENS_RADIUS}" fill="none" stroke="{hex_color(RING)}" stroke-width="{RING_WIDTH}"/>
  <line x1="{hx1}" y1="{hy1}" x2="{hx2}" y2="{hy2}" stroke="{hex_color(RING)}" stroke-width="{2 * handle_radius}"
        stroke-linecap="round"/>
</svg>
"""


if __name__ == "__main__":
    (HERE / "logo-svg.svg").write_text(svg())
    for size in (32, 64):
        (HERE / f"logo-{size}x{size}.png").write_bytes(render(size))
    print("wrote logo-svg.svg, logo-32x32.png, logo-64x64.png")
