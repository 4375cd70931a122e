"""Every user-visible error and warning text, verbatim from PyTorch 2.13 (SEMANTICS.md section 9).

Templates take keyword arguments; IDs in comments match the message table."""

# E1-E8: running the graph
NO_GRAD_FN = "element {index} of tensors does not require grad and does not have a grad_fn"  # E1
IMPLICIT_SCALAR = "grad can be implicitly created only for scalar outputs"  # E2
IMPLICIT_REAL = "grad can be implicitly created only for real scalar outputs but got {dtype}"  # E3
SHAPE_MISMATCH = ("Mismatch in shape: grad_output[{index}] has a shape of {got} and output[{index}] "
                  "has a shape of {expected}.")  # E4
FREED_GRAPH = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward.")  # E5
EMPTY_INPUTS = "`inputs` argument to `backward()` cannot be empty."  # E6
UNUSED_INPUT = ("The differentiated Tensor at index {index} appears to not have been used in the "
                "graph. Set allow_unused=True if this is the desired behavior.")  # E7
INPUT_NO_GRAD = "One of the differentiated Tensors does not require grad"  # E8
GRAD_DTYPE_MISMATCH = ("Mismatch in dtype: grad_output[{index}] has a dtype of {got} and "
                       "output[{index}] has a dtype of {expected}.")

# E9-E16: in-place and saved tensors
LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."  # E9
LEAF_VIEW_INPLACE = ("a view of a leaf Variable that requires grad is being used in an in-place "
                     "operation.")  # E10
OUT_WITH_GRAD = ("{op}(): functions with out=... arguments don't support automatic "
                 "differentiation, but one of the arguments requires grad.")  # E11
RESIZE_GRAD = "cannot resize variables that require grad"  # E12
VERSION_MISMATCH = (
    "one of the variables needed for gradient computation has been modified by an inplace "
    "operation: [{type} {shape}]{clause} is at version {current}; expected version {saved} "
    "instead. Hint: {hint}")  # E13, E14, E15
VERSION_CLAUSE = ", which is output {index} of {node},"
HINT_DEFAULT = ("enable anomaly detection to find the operation that failed to compute its "
                "gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).")
HINT_ANOMALY = ("the backtrace further above shows the operation that failed to compute its "
                "gradient. The variable in question was changed in there or anywhere later. "
                "Good luck!")
DETACHED_SAVED = ("Trying to use a saved tensor that has been detached in-place, i.e. with "
                  ".detach_().This is not supported, please use out-of-place `.detach()` "
                  "instead")  # E16

# E17-E28: flags, .data and .grad
NONLEAF_REQUIRES_GRAD = (
    "you can only change requires_grad flags of leaf variables. If you want to use a computed "
    "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().")
NONLEAF_REQUIRES_GRAD_SHORT = "you can only change requires_grad flags of leaf variables."  # E18
FACTORY_INT_GRAD = "Only Tensors of floating point and complex dtype can require gradients"  # E19
REQUIRES_GRAD_INT = "only Tensors of floating point dtype can require gradients"  # E20
SETTER_INT_GRAD = "only Tensors of floating point and complex dtype can require gradients"  # E21
DATA_INT = ("data set to a tensor that requires gradients must be floating point or complex "
            "dtype")  # E22
DATA_NOT_TENSOR = "Variable data has to be a tensor, but got {type}"  # E23
DETACH_VIEW = (
    "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel "
    "(DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP "
    "buckets, and hence detach_() cannot be called on these gradients. To fix this error, please "
    "refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the "
    "solution.")  # E24
RETAIN_GRAD_NO_GRAD = "can't retain_grad on Tensor that has requires_grad=False"  # E25
GRAD_SIZE = ("attempting to assign a gradient of size '{got}' to a tensor of size '{expected}'. "
             "Please ensure that the gradient and the tensor are the same size")  # E26
GRAD_DTYPE = (
    "attempting to assign a gradient with dtype '{got}' to a tensor with grad_dtype '{expected}'. "
    "The gradient must match the tensor's grad_dtype (defaults to the tensor's dtype). You can set "
    "the tensor's grad_dtype attribute with a specific dtype, or None to allow any dtype. Set "
    "grad_dtype with caution. Diverging the dtypes of a tensor and its gradient may break "
    "downstream systems that assume they match.")  # E27
GRAD_NOT_TENSOR = "assigned grad expected to be a Tensor or None but got grad of type {type}"  # E28

# E29-E32: hooks
HOOK_NO_GRAD = "cannot register a hook on a tensor that doesn't require gradient"  # E29
HOOK_SIZE = "hook '{name}' has changed the size of value"  # E30
POST_ACC_NONLEAF = "post accumulate grad hooks cannot be registered on non-leaf tensors"  # E31
POST_ACC_RETURN = "Tensor post accumulate grad hooks should return None."  # E32
HOOK_RETURN_TYPE = "expected Variable, but hook returned '{type}'"

# E33-E43: views and inference mode (assembled by _autograd.views)
VIEW_NO_GRAD_REASON = (
    " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your "
    "code by moving both the view and the inplace either both inside the no_grad block (if you "
    "don't want the inplace to be tracked) or both outside (if you want the inplace to be "
    "tracked).")
VIEW_INFERENCE_REASON = (
    " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your "
    "code by moving both the view and the inplace either both inside the inference_mode block (if "
    "you don't want the inplace to be tracked) or both outside (if you want the inplace to be "
    "tracked).")
VIEW_MULTI_OUTPUT_REASON = (
    " This view is the output of a function that returns multiple views. Such functions do not "
    "allow the output views to be modified inplace. You should replace the inplace operation by "
    "an out-of-place one.")
VIEW_CUSTOM_FUNCTION_REASON = (
    " This view was created inside a custom Function (or because an input was returned as-is) "
    "and the autograd logic to handle view+inplace would override the custom backward associated "
    "with the custom Function, leading to incorrect gradients. This behavior is forbidden. You can "
    "fix this by cloning the output of the custom Function.")
INFERENCE_INPLACE = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone "
    "to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 "
    "for more details.")  # E40
INFERENCE_SAVED = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a clone "
    "to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
    "`torch.inference_mode()`.")  # E41
INFERENCE_REQUIRES_GRAD = ("Setting requires_grad=True on inference tensor outside InferenceMode "
                           "is not allowed.")  # E42
INFERENCE_VERSION = "Inference tensors do not track version counter."  # E58

# E44-E51: anomaly mode and custom Functions
NAN_IN_GRAD = "Function '{node}' returned nan values in its {index}th output."  # E44
WRONG_GRAD_COUNT = ("function {node} returned an incorrect number of gradients (expected "
                    "{expected}, got {got})")  # E45
INVALID_GRAD_SHAPE = ("Function {node} returned an invalid gradient at index {index} - got {got} "
                      "but expected shape compatible with {expected}")  # E46
GRAD_FOR_NON_TENSOR = ("function {node} returned a gradient different than None at position "
                       "{position}, but the corresponding forward input was not a Variable")  # E47
NO_BACKWARD = ("You must implement either the backward or vjp method for your custom "
               "autograd.Function to use it with backward mode AD.")  # E48
SAVE_NON_TENSOR = ("save_for_backward can only save variables, but argument {index} is of type "
                   "{type}")  # E49
DIRTY_LEAF = "a leaf Variable that requires grad has been used in an in-place operation."  # E50
LEGACY_FUNCTION = (
    "Legacy autograd function with non-static forward method is deprecated. Please use new-style "
    "autograd function with static forward method. (Example: "
    "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")  # E51

# E52-E59: conversions and dtypes
NUMPY_REQUIRES_GRAD = ("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                       "instead.")  # E52
ITEM_NUMEL = "a Tensor with {numel} elements cannot be converted to Scalar"  # E53
SCALAR_NUMEL = "only one element tensors can be converted to Python scalars"  # E54
CAST_RESULT = "result type {got} can't be cast to the desired output type {expected}"  # E55
MEAN_INT = ("mean(): could not infer output dtype. Input dtype must be either a floating point or "
            "complex dtype. Got: {dtype}")  # E56
FORMAT_SPEC = "unsupported format string passed to Tensor.__format__"  # E57
GRADIENT_FLOAT = "'float' object is not iterable"  # E59

# Warnings
W_NONLEAF_GRAD = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information.")  # W1
W_CREATE_GRAPH = (
    "Using backward() with create_graph=True will create a reference cycle between the parameter "
    "and its gradient which can cause a memory leak. We recommend using autograd.grad when "
    "creating the graph to avoid this. If you have to use this function, make sure to reset the "
    ".grad fields of your parameters to None after use to break the cycle and avoid the leak.")
W_ANOMALY_ENABLED = ("Anomaly Detection has been enabled. This mode will increase the runtime and "
                     "should only be enabled for debugging.")  # W3
W_FUNCTION_INSTANTIATED = (
    "{cls} should not be instantiated. Methods on autograd functions are all static, so you should "
    "invoke them on the class itself. Instantiating an autograd function will raise an error in a "
    "future version of PyTorch.")  # W4
W_ANOMALY_ERROR = "Error detected in {node}. Traceback of forward call that caused the error:\n"  # W5
W_ANOMALY_PARENT = ("\n\nPrevious calculation was induced by {node}. Traceback of forward call that "
                    "induced the previous calculation:\n")  # W6

# Shape and argument errors of ops
BROADCAST = ("The size of tensor a ({a}) must match the size of tensor b ({b}) at non-singleton "
             "dimension {dim}")
DIM_RANGE = "Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})"
VIEW_SIZE = ("view size is not compatible with input tensor's size and stride (at least one "
             "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
SHAPE_INVALID = "shape '{shape}' is invalid for input of size {numel}"
MM_SHAPES = "mat1 and mat2 shapes cannot be multiplied ({a0}x{a1} and {b0}x{b1})"
