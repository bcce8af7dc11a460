#!/usr/bin/env python3
"""Writes the golden file for MaskTransformerHeadGoldenTest.

A Segmenter mask-transformer decoder (mmsegmentation's SegmenterMaskTransformerHead at inference) built from plain
torch.nn modules, tiny sizes, fixed seed. The weights are saved under mmseg's checkpoint names (prefix
``decode_head.``) together with an input and the expected outputs, in one safetensors file written by hand (the
format is a little-endian u64 header length, a JSON header, then the raw tensor bytes), so only torch and numpy are
needed.

The expected outputs are computed in float64 from the float32 weights and input that are stored, so they are the
exact values of the float32 model; the script prints how far torch's own float32 run is from them.

Usage: python3 segmenter_golden.py [OUT_FILE]
(default: ../resources/dev/tokenreduce/vit/head/segmenter_golden.safetensors next to this script)
"""
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 20261128
BATCH, C_IN, DIM, LAYERS, HEADS, CLASSES = 2, 32, 24, 2, 3, 5
GRID_H, GRID_W = 6, 7
MLP_RATIO = 4
UP_H, UP_W = 23, 30  # a non-integer upsampling factor for the bilinear check
PREFIX = "decode_head."


class Layer(nn.Module):
    """mmseg TransformerEncoderLayer at inference: pre-norm attention and FFN halves with residuals."""

    def __init__(self):
        super().__init__()
        self.ln1 = nn.LayerNorm(DIM)
        self.attn = nn.MultiheadAttention(DIM, HEADS, batch_first=True)
        self.ln2 = nn.LayerNorm(DIM)
        self.fc1 = nn.Linear(DIM, MLP_RATIO * DIM)
        self.fc2 = nn.Linear(MLP_RATIO * DIM, DIM)

    def forward(self, x):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.dec_proj = nn.Linear(C_IN, DIM)
        self.cls_emb = nn.Parameter(torch.randn(1, CLASSES, DIM))
        self.layers = nn.ModuleList([Layer() for _ in range(LAYERS)])
        self.decoder_norm = nn.LayerNorm(DIM)
        self.patch_proj = nn.Linear(DIM, DIM, bias=False)
        self.classes_proj = nn.Linear(DIM, DIM, bias=False)
        self.mask_norm = nn.LayerNorm(CLASSES)

    def forward(self, tokens, h, w):
        x = torch.cat((self.dec_proj(tokens), self.cls_emb.expand(tokens.shape[0], -1, -1)), 1)
        for layer in self.layers:
            x = layer(x)
        x = self.decoder_norm(x)
        patches = F.normalize(self.patch_proj(x[:, :-CLASSES]), dim=-1)
        classes = F.normalize(self.classes_proj(x[:, -CLASSES:]), dim=-1)
        masks = self.mask_norm(patches @ classes.transpose(1, 2))  # (B, N, K)
        return masks.permute(0, 2, 1).reshape(tokens.shape[0], CLASSES, h, w)


def mmseg_state(model):
    """The decoder's tensors under the names of an mmseg Segmenter checkpoint."""
    out = {
        "dec_proj.weight": model.dec_proj.weight,
        "dec_proj.bias": model.dec_proj.bias,
        "cls_emb": model.cls_emb,
        "decoder_norm.weight": model.decoder_norm.weight,
        "decoder_norm.bias": model.decoder_norm.bias,
        "patch_proj.weight": model.patch_proj.weight,
        "classes_proj.weight": model.classes_proj.weight,
        "mask_norm.weight": model.mask_norm.weight,
        "mask_norm.bias": model.mask_norm.bias,
    }
    for i, layer in enumerate(model.layers):
        p = f"layers.{i}."
        out[p + "ln1.weight"] = layer.ln1.weight
        out[p + "ln1.bias"] = layer.ln1.bias
        out[p + "attn.attn.in_proj_weight"] = layer.attn.in_proj_weight
        out[p + "attn.attn.in_proj_bias"] = layer.attn.in_proj_bias
        out[p + "attn.attn.out_proj.weight"] = layer.attn.out_proj.weight
        out[p + "attn.attn.out_proj.bias"] = layer.attn.out_proj.bias
        out[p + "ln2.weight"] = layer.ln2.weight
        out[p + "ln2.bias"] = layer.ln2.bias
        out[p + "ffn.layers.0.0.weight"] = layer.fc1.weight
        out[p + "ffn.layers.0.0.bias"] = layer.fc1.bias
        out[p + "ffn.layers.1.weight"] = layer.fc2.weight
        out[p + "ffn.layers.1.bias"] = layer.fc2.bias
    return {PREFIX + k: v.detach().to(torch.float32).contiguous() for k, v in out.items()}


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        data = t.detach().cpu().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "..", "resources", "dev", "tokenreduce", "vit", "head", "segmenter_golden.safetensors")
    torch.manual_seed(SEED)
    model = Decoder()
    with torch.no_grad():
        # non-trivial LayerNorm affines so that every parameter matters
        for m in model.modules():
            if isinstance(m, nn.LayerNorm):
                m.weight.copy_(1 + 0.2 * torch.randn_like(m.weight))
                m.bias.copy_(0.2 * torch.randn_like(m.bias))
    model.eval()
    tokens = torch.randn(BATCH, GRID_H * GRID_W, C_IN)

    with torch.no_grad():
        expected32 = model(tokens, GRID_H, GRID_W)
        model64 = Decoder().double()
        model64.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
        model64.eval()
        expected = model64(tokens.double(), GRID_H, GRID_W)
        upsampled = F.interpolate(expected, size=(UP_H, UP_W), mode="bilinear", align_corners=False)

    tensors = mmseg_state(model)
    tensors["input.tokens"] = tokens
    tensors["expected.logits"] = expected.float()
    tensors["expected.upsampled"] = upsampled.float()
    metadata = {
        "generator": "vit-runtime/src/test/scripts/segmenter_golden.py",
        "torch": torch.__version__,
        "seed": str(SEED),
        "num_heads": str(HEADS),
        "grid": f"{GRID_H}x{GRID_W}",
        "upsampled": f"{UP_H}x{UP_W}",
        "expected": "float64 forward of the stored float32 weights and input, rounded to float32",
    }
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    write_safetensors(out, tensors, metadata)
    diff = (expected32.double() - expected).abs().max().item()
    print(f"wrote {out}: {len(tensors)} tensors; max|expected| = {expected.abs().max().item():.4f}, "
          f"torch float32 vs float64 max diff = {diff:.3e}")


if __name__ == "__main__":
    main()
