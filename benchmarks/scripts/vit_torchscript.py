#!/usr/bin/env python3
"""Builds a timm-style ViT in plain PyTorch (no timm), loads a model directory's model.safetensors (timm names),
compiles it to TorchScript (torch.jit.script by default; --jit trace runs torch.jit.trace, which executes one full
forward pass: minutes for ViT-L/16 640^2 on a PyTorch build with generic BLAS) and saves the file; optionally times
PyTorch eager.

Only for the optional comparison in VitLatencyBenchmark (docs/benchmarks.md); the project never needs PyTorch.
The block is timm's non-fused path: x + proj(softmax(q*scale @ k^T) @ v) over norm1(x), then x + fc2(gelu(fc1(norm2(x)))),
LayerNorm eps as given, exact (erf) GELU, CLS token, learned position table sized for the image, final norm.
Output: the final normed tokens (B, 1 + grid cells, C), the same tensor VisionEncoder.encode(...).finalTokens() gives.

usage: vit_torchscript.py --model DIR --image 512 --embed-dim 768 --depth 12 --heads 12 --mlp 3072 --patch 16
                          [--eps 1e-6] [--out DIR/model.pt] [--threads 2] [--eager-runs 0] [--seed 5] [--jit script|trace]
"""
import argparse
import json
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    """name -> float32 torch tensor, from the safetensors header (8-byte little-endian length + JSON)."""
    with open(path, "rb") as f:
        data = f.read()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + header_len].decode("utf-8"))
    base = 8 + header_len
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in DTYPES:
            raise SystemExit(f"{path}: tensor {name} has unsupported dtype {info['dtype']}")
        start, end = info["data_offsets"]
        arr = np.frombuffer(data, dtype=DTYPES[info["dtype"]], count=(end - start) // np.dtype(DTYPES[info["dtype"]]).itemsize,
                            offset=base + start).reshape(info["shape"])
        out[name] = torch.from_numpy(arr.astype(np.float32, copy=True))
    return out


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = (q * self.scale) @ k.transpose(-2, -1)
        x = attn.softmax(dim=-1) @ v
        return self.proj(x.transpose(1, 2).reshape(b, n, c))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim, heads, hidden, eps):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=eps)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=eps)
        self.mlp = Mlp(dim, hidden)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self, patch, dim):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, kernel_size=patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class VisionTransformer(nn.Module):
    def __init__(self, image, patch, dim, depth, heads, hidden, eps):
        super().__init__()
        cells = (image // patch) ** 2
        self.patch_embed = PatchEmbed(patch, dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + cells, dim))
        self.blocks = nn.ModuleList([Block(dim, heads, hidden, eps) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=eps)

    def forward(self, pixels):
        x = self.patch_embed(pixels)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed
        for blk in self.blocks:
            x = blk(x)
        return self.norm(x)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--image", type=int, required=True)
    p.add_argument("--embed-dim", type=int, required=True)
    p.add_argument("--depth", type=int, required=True)
    p.add_argument("--heads", type=int, required=True)
    p.add_argument("--mlp", type=int, required=True)
    p.add_argument("--patch", type=int, default=16)
    p.add_argument("--eps", type=float, default=1e-6)
    p.add_argument("--out", default=None)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--eager-runs", type=int, default=0)
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--jit", choices=["script", "trace"], default="script")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    model = VisionTransformer(a.image, a.patch, a.embed_dim, a.depth, a.heads, a.mlp, a.eps).eval()
    weights = read_safetensors(f"{a.model}/model.safetensors")
    missing, unexpected = model.load_state_dict(weights, strict=False)
    if missing:
        raise SystemExit(f"weights missing from the checkpoint: {missing}")
    ignored = [u for u in unexpected if not u.startswith("head")]
    if ignored:
        raise SystemExit(f"checkpoint tensors the script does not know: {ignored}")
    del weights
    gen = torch.Generator().manual_seed(a.seed)
    pixels = torch.randn(1, 3, a.image, a.image, generator=gen)
    out = a.out or f"{a.model}/model.pt"
    with torch.no_grad():
        if a.jit == "trace":
            compiled = torch.jit.trace(model, pixels, check_trace=False)
        else:
            compiled = torch.jit.script(model)
        compiled.save(out)
        print(f"saved {out} (torch.jit.{a.jit}, torch {torch.__version__})", flush=True)
        if a.eager_runs > 0:
            model(pixels)  # warm-up
            times = []
            for _ in range(a.eager_runs):
                t = time.perf_counter()
                model(pixels)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            print(f"eager_median_ms={times[len(times) // 2]:.2f} eager_min_ms={times[0]:.2f} runs={len(times)} "
                  f"threads={torch.get_num_threads()} torch={torch.__version__}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
