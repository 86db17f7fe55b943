"""Reads a safetensors file of float32 tensors by hand (an 8-byte header length, a JSON
header, little-endian data), since Debian's PyTorch comes without the safetensors package."""
import json, struct
import torch


def read(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    tensors = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        start, end = t["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[start:end]), dtype=torch.float32).reshape(t["shape"])
    return tensors
