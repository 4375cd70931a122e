"""The write-up numtorch grew from: tensor.detach(), tensor.detach_() and tensor.data.

Run it under numtorch (as here) or replace the import with `import torch`: the output is the same."""
import warnings

import numtorch as torch

warnings.simplefilter("always")
# print warnings as "Category: message"; PyTorch's C++ warnings end in a build-specific
# " (Triggered internally at ...)" that carries no information, so it is cut
warnings.showwarning = lambda message, category, *args, **kwargs: print(
    f"{category.__name__}: {str(message).split(' (Triggered internally at')[0]}")

print("1. backward through sigmoid")
a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
print("a.grad before:", a.grad)
a.sigmoid().sum().backward()
print("a.grad after: ", a.grad)

print("\n2. detach() shares memory and the version counter")
a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
out = a.sigmoid()
c = out.detach()
print("c:", c)
print("c.requires_grad:", c.requires_grad, "| shares memory:", c.data_ptr() == out.data_ptr())
print("versions:", out._version, c._version)
out.sum().backward()
print("a.grad:", a.grad)
print("out.grad (a non-leaf):", out.grad)

print("\n3. backward from the detached tensor")
try:
    c.sum().backward()
except RuntimeError as e:
    print("RuntimeError:", e)

print("\n4. zero_() on the detached tensor changes out, and autograd notices")
a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
out = a.sigmoid()
c = out.detach()
c.zero_()
print("out:", out, "| version:", out._version)
try:
    out.sum().backward()
except RuntimeError as e:
    print("RuntimeError:", e)

print("\n5. .data shares memory but not the version counter: the change goes unnoticed")
a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
out = a.sigmoid()
c = out.data
c.zero_()
print("out:", out, "| versions:", out._version, c._version)
out.sum().backward()
print("a.grad (silently wrong):", a.grad)

print("\n6. detach_() detaches in place and refuses views")
a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
out = a.sigmoid()
print("detach_() returns out itself:", out.detach_() is out)
print("out:", out, "| is_leaf:", out.is_leaf, "| grad_fn:", out.grad_fn)
v = (a * 2)[:2]
try:
    v.detach_()
except RuntimeError as e:
    print("RuntimeError:", e)
