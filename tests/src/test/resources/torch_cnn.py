"""Loads an nnc CNN weights file into the PyTorch network of the same architecture and
prints its predictions for the inputs given, one row per line.

Usage: torch_cnn.py WEIGHTS INPUTS.csv HEIGHT WIDTH CHANNELS [bn]
The network is torch_reference.py's cnn() pattern: conv, relu, maxpool, conv, relu,
maxpool, flatten, linear, relu, linear, softmax; with "bn", a batch norm after each
convolution and after the first linear layer (BatchNorm2d, BatchNorm1d). nnc's names
map to the module indices: conv2d_1 -> 0, batch_norm_1 -> 1, ... (see `index` below);
the batch norms' running_mean and running_var are buffers of the same names."""
import sys
import torch
import safetensors_reader

weights, inputs, h, w, c = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6])
tensors = safetensors_reader.read(weights)

norm = len(sys.argv) > 6 and sys.argv[6] == "bn"
f1, f2 = tensors["conv2d_1.weight"].shape[0], tensors["conv2d_2.weight"].shape[0]
hidden, flat = tensors["dense_1.weight"].shape
classes = tensors["dense_2.weight"].shape[0]
nn = torch.nn
layers = [("conv2d_1", nn.Conv2d(c, f1, 3)), ("batch_norm_1", nn.BatchNorm2d(f1)), (None, nn.ReLU()), (None, nn.MaxPool2d(2)),
          ("conv2d_2", nn.Conv2d(f1, f2, 3)), ("batch_norm_2", nn.BatchNorm2d(f2)), (None, nn.ReLU()), (None, nn.MaxPool2d(2)),
          (None, nn.Flatten()), ("dense_1", nn.Linear(flat, hidden)), ("batch_norm_3", nn.BatchNorm1d(hidden)),
          (None, nn.ReLU()), ("dense_2", nn.Linear(hidden, classes)), (None, nn.Softmax(dim=1))]
layers = [(name, m) for name, m in layers if norm or name is None or not name.startswith("batch_norm")]
index = {name: str(i) for i, (name, m) in enumerate(layers) if name}
state = {index[k.split(".")[0]] + "." + k.split(".")[1]: v for k, v in tensors.items() if k.split(".")[0] in index}
net = nn.Sequential(*[m for name, m in layers])
net.load_state_dict(state)
net.eval()
rows = [[float(v) for v in line.split(",")] for line in open(inputs) if line.strip()]
# nnc's rows are [height, width, channels]; PyTorch's images are [channels, height, width]
x = torch.tensor(rows).reshape(-1, h, w, c).permute(0, 3, 1, 2)
with torch.no_grad():
    for p in net(x):
        print(",".join("%.8g" % v for v in p.tolist()))
