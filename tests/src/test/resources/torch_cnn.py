"""Loads an nnc CNN weights file into the PyTorch network of the same architecture and
prints its predictions for the inputs given, one row per line. Reads safetensors by
hand (an 8-byte header length, a JSON header, little-endian float32 data), since
Debian's PyTorch comes without the safetensors package.

Usage: torch_cnn.py WEIGHTS INPUTS.csv HEIGHT WIDTH CHANNELS
The network is torch_reference.py's cnn() pattern: conv, relu, maxpool, conv, relu,
maxpool, flatten, linear, relu, linear, softmax; nnc's names map to its indices."""
import json, struct, sys
import torch

weights, inputs, h, w, c = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
raw = open(weights, "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n])
data = raw[8 + n:]
tensors = {}
for name, t in header.items():
    if name == "__metadata__":
        continue
    start, end = t["data_offsets"]
    tensors[name] = torch.frombuffer(bytearray(data[start:end]), dtype=torch.float32).reshape(t["shape"])

index = {"conv2d_1": "0", "conv2d_2": "3", "dense_1": "7", "dense_2": "9"}
state = {index[k.split(".")[0]] + "." + k.split(".")[1]: v for k, v in tensors.items() if k.split(".")[0] in index}
f1, f2 = tensors["conv2d_1.weight"].shape[0], tensors["conv2d_2.weight"].shape[0]
hidden, flat = tensors["dense_1.weight"].shape
classes = tensors["dense_2.weight"].shape[0]
net = torch.nn.Sequential(torch.nn.Conv2d(c, f1, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                          torch.nn.Conv2d(f1, f2, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                          torch.nn.Flatten(), torch.nn.Linear(flat, hidden), torch.nn.ReLU(),
                          torch.nn.Linear(hidden, classes), torch.nn.Softmax(dim=1))
net.load_state_dict(state)
net.eval()
rows = [[float(v) for v in line.split(",")] for line in open(inputs) if line.strip()]
# nnc's rows are [height, width, channels]; PyTorch's images are [channels, height, width]
x = torch.tensor(rows).reshape(-1, h, w, c).permute(0, 3, 1, 2)
with torch.no_grad():
    for p in net(x):
        print(",".join("%.8g" % v for v in p.tolist()))
