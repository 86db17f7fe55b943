"""One SGD step in PyTorch's train() mode on a small network with a batch norm, from an
nnc weights file: prints every tensor after the step (parameters and running
statistics), one per line as NAME v1,v2,..., in nnc's names.

Usage: torch_bn_step.py WEIGHTS INPUTS.csv LABELS.csv LR MOMENTUM
The network: [6, 6, 2] images -> conv2d(4, kernel = 3) -> batch_norm -> relu -> flatten
-> dense(3), with cross-entropy on the logits (nnc's softmax + cross_entropy)."""
import sys
import torch
import safetensors_reader

weights, inputs, labels = sys.argv[1:4]
lr, momentum = float(sys.argv[4]), float(sys.argv[5])
tensors = safetensors_reader.read(weights)

nn = torch.nn
names = ["conv2d_1", "batch_norm_1", None, None, "dense_1"]
# PyTorch's momentum is the weight of the batch: 1 - nnc's
net = nn.Sequential(nn.Conv2d(2, 4, 3), nn.BatchNorm2d(4, momentum=1 - momentum), nn.ReLU(), nn.Flatten(), nn.Linear(64, 3))
net.load_state_dict({str(names.index(k.split(".")[0])) + "." + k.split(".")[1]: v for k, v in tensors.items()})
net.train()
x = torch.tensor([[float(v) for v in l.split(",")] for l in open(inputs) if l.strip()]).reshape(-1, 6, 6, 2).permute(0, 3, 1, 2)
y = torch.tensor([int(float(l)) for l in open(labels) if l.strip()])
optimizer = torch.optim.SGD(net.parameters(), lr=lr)
optimizer.zero_grad()
nn.functional.cross_entropy(net(x), y).backward()
optimizer.step()
for key, value in net.state_dict().items():
    module, field = key.split(".")
    if field == "num_batches_tracked":
        continue
    print(names[int(module)] + "." + field, ",".join("%.9g" % v for v in value.flatten().tolist()))
