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
GRAD_EMPTY_INPUTS = "`inputs` argument to `grad()` cannot be empty."
UNUSED_INPUT = ("The differentiated Tensor at index {index} appears to not have been used in the "
                "graph. Set allow_unused=True if this is the desired behavior.")  # E7
INPUT_NO_GRAD = "One of the differentiated Tensors does not require grad"  # E8
GRAD_DTYPE_MISMATCH = ("Mismatch in dtype: grad_output[{index}] has a dtype of {got} and "
                       "output[{index}] has a dtype of {expected}.")
# set_history (functions/utils.h): a recorded op whose output is an integer or bool tensor
AUTOGRAD_DTYPE = "Autograd not support dtype: {dtype}"
# the engine's validate_outputs: a gradient (after the cast) for an integer/bool tensor in the graph
GRAD_NOT_DIFFERENTIABLE = (
    'isDifferentiableType(grad.scalar_type()) INTERNAL ASSERT FAILED at '
    '"/__w/pytorch/pytorch/torch/csrc/autograd/engine.cpp":998, please report a bug to PyTorch. ')

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
# the same check on backward()'s own gradients, against what the root node recorded (a `.data =`
# may have changed the tensor's shape since)
INVALID_ROOT_GRAD_SHAPE = "invalid gradient at index {index} - got {got} but expected shape compatible with {expected}"
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

# Custom Function details beyond the table (torch/csrc/autograd/python_function.cpp, custom_function.cpp)
FORWARD_NOT_IMPLEMENTED = "You must implement the forward function for custom autograd.Function."
SETUP_CONTEXT_NOT_IMPLEMENTED = "setup_context is not implemented."
JVP_NOT_IMPLEMENTED = ("You must implement the jvp function for custom autograd.Function to use it "
                       "with forward mode AD.")
BACKWARD_AND_VJP = ("Implementing both 'backward' and 'vjp' for a custom Function is not allowed. "
                    "You should only implement one of them.")
GRAD_NOT_TENSOR_OR_NONE = "expected Variable or None (got {type})"
# the C++ assert drops its format arguments: these texts really end with a space
MARK_DIRTY_NON_TENSOR = "mark_dirty can only accept variables, but argument "
MARK_NON_DIFF_NON_TENSOR = "mark_non_differentiable only accepts variable arguments, but got "
DIRTY_NOT_RETURNED = ("Some elements marked as dirty during the forward method were not returned as "
                      "output. The inputs that are modified inplace must all be outputs of the "
                      "Function.")
DIRTY_VIEW_MULTI_OUTPUT = (
    "If your Function modifies inplace an input that is a view of another Tensor, your Function "
    "cannot return more than one Tensor. This is not supported by the current autograd engine. You "
    "should either make sure the input is not a view (using .clone() for example) or make your "
    "Function only return one Tensor (potentially splitting it into two Functions: one doing the "
    "inplace that returns a single Tensor and a second one that does the other operations). You can "
    "ask on the forum https://discuss.pytorch.org/ if you need help to do this change.")
INPUT_RETURNED_AS_IS_SAVED = (
    "An input that has been returned as-is as output is being saved for backward. This is not "
    "supported if you override setup_context. You should return and save a view of the input "
    "instead, e.g. with x.view_as(x) or setup ctx inside the forward function itself.")
APPLY_UNEXPECTED_KWARG = "forward() got an unexpected keyword argument '{name}'"
APPLY_MULTIPLE_VALUES = "forward() got multiple values for argument '{name}'"
APPLY_MISSING_ARG = "forward() missing required argument: '{name}' (position {index})"
MATERIALIZE_NOT_BOOL = ("set_materialize_grads received an invalid combination of arguments - got (), "
                        "but expected (bool)")
MATERIALIZE_NOT_READABLE = ("attribute 'materialize_grads' of 'torch._C._FunctionBase' objects is "
                            "not readable")
ONCE_DIFFERENTIABLE = ("trying to differentiate twice a function that was marked with "
                       "@once_differentiable")

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

W_ANOMALY_NO_STACK = ("Error detected in {node}. No forward pass information available. Enable "
                      "detect anomaly during forward pass for more information.")  # W5 variant
W_DIRTY_NOT_INPUT = ("ctx.mark_dirty() received a tensor that was not an input. Only input Tensors "
                     "that have been mutated should be passed to ctx.mark_dirty().")
W_SAVED_VARIABLES = "'saved_variables' is deprecated; use 'saved_tensors'"  # DeprecationWarning
W_MARK_SHARED_STORAGE = ("`mark_shared_storage` is deprecated. Tensors with shared storages are "
                         "automatically tracked. Note that calls to `set_()` are not tracked")

# Shape and argument errors of ops
BROADCAST = ("The size of tensor a ({a}) must match the size of tensor b ({b}) at non-singleton "
             "dimension {dim}")
DIM_RANGE = "Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})"
VIEW_SIZE = ("view size is not compatible with input tensor's size and stride (at least one "
             "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
SHAPE_INVALID = "shape '{shape}' is invalid for input of size {numel}"
INTERNAL_OVERLAP = ("unsupported operation: more than one element of the written-to tensor refers to a "
                    "single memory location. Please clone() the tensor before performing the operation.")
PARTIAL_OVERLAP = ("unsupported operation: some elements of the input tensor and the written-to tensor "
                   "refer to a single memory location. Please clone() the tensor before performing the "
                   "operation.")
MM_SHAPES = "mat1 and mat2 shapes cannot be multiplied ({a0}x{a1} and {b0}x{b1})"

# creation ops (_ops/creation.py): torch.tensor's sequence parser, from_numpy, the factories
LIST_OF_ARRAYS = ("Creating a tensor from a list of numpy.ndarrays is extremely slow. Please consider "
                  "converting the list to a single numpy.ndarray with numpy.array() before converting to "
                  "a tensor.")
NOT_WRITABLE = ("The given NumPy array is not writable, and PyTorch does not support non-writable tensors. "
                "This means writing to this tensor will result in undefined behavior. You may want to copy "
                "the array to protect its data or make it writable before converting it to a tensor. This "
                "type of warning will be suppressed for the rest of this program.")
NEGATIVE_STRIDES = ("At least one stride in the given numpy array is negative, and tensors with negative "
                    "strides are not currently supported. (You can probably work around this by making a "
                    "copy of your array  with array.copy().) ")
W_TENSOR_FROM_TENSOR = ("To copy construct from a tensor, it is recommended to use sourceTensor.detach()."
                        "clone() or sourceTensor.detach().clone().requires_grad_(True), rather than "
                        "torch.tensor(sourceTensor).")
NEW_INVALID_DATA_TYPE = "new(): invalid data type '{type}'"
INFER_DTYPE = "Could not infer dtype of {type}"
TOO_MANY_DIMENSIONS = "too many dimensions '{type}'"
RAGGED_SEQUENCE = "expected sequence of length {length} at dim {dim} (got {got})"
FROM_NUMPY_TYPE = "expected np.ndarray (got {type})"
SIZE_UNPACK = ("{fn}(): argument 'size' failed to unpack the object at pos {pos} with "
               "error \"type must be tuple of ints,but got {type}\"")
ZEROS_NEGATIVE = "zeros: Dimension size must be non-negative."
STEP_NONZERO = "step must be nonzero"
UNSUPPORTED_RANGE = "unsupported range: {start} -> {end}"
RANGE_STEP_SIGN = "upper bound and lower bound inconsistent with step sign"
VALUE_OVERFLOW = "value cannot be converted to type {type} without overflow"
INVALID_ARGS_ONE_OF = ("{fn}() received an invalid combination of arguments - got ({got}), but expected "
                       "one of:\n{options}")
STEPS_NEGATIVE = "number of steps must be non-negative"
EYE_NEGATIVE = "{name} must be greater or equal to 0, got {value}"

# pointwise ops (_ops/pointwise.py): TensorIterator, ATen's BinaryOps/UnaryOps checks, arg parser
INPLACE_SHAPE = "output with shape {out} doesn't match the broadcast shape {shape}"
SUB_TWO_BOOLS = ("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                 "`logical_xor()` operator instead.")
SUB_BOOL = ("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to "
            "invert a mask, use the `~` or `logical_not()` operator instead.")
NEG_BOOL = ("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert "
            "a mask, use the `~` or `logical_not()` operator instead.")
ALPHA_BOOL = "Boolean alpha only supported for Boolean results."
ALPHA_INTEGRAL = "For integral input tensors, argument alpha must not be a floating point number."
ALPHA_COMPLEX = "For non-complex input tensors, argument alpha must not be a complex number."
INT_ZERO_DIVISION = "ZeroDivisionError"
DIV_ROUNDING_MODE = ("div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                     "'{mode}'")
POW_NEGATIVE_INT = "Integers to negative integer powers are not allowed."
SIGN_COMPLEX = ("Unlike NumPy, torch.sign is not intended to support complex numbers. "
                "Please use torch.sgn instead.")
NOT_SUPPORTED_COMPLEX_INPUTS = "{name} is not supported for complex inputs"
CLAMP_COMPLEX = "clamp is not supported for complex types"
CLAMP_NO_BOUNDS = "torch.clamp: At least one of 'min' or 'max' must not be None"
CLAMP_INVALID_ARGS = (
    "{fname}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
    " * (Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)\n"
    " * (Tensor input, Number min = None, Number max = None, *, Tensor out = None)\n")
CLAMP_METHOD_INVALID_ARGS = (
    "{fname}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
    " * (Tensor min = None, Tensor max = None)\n      didn't match because {why}\n"
    " * (Number min = None, Number max = None)\n      didn't match because {why}\n")
NOT_IMPLEMENTED_COMPLEX_TENSORS = "{name} not implemented for complex tensors."
ARG_MUST_BE_TENSOR = "{fname}(): argument '{argname}' (position {position}) must be Tensor, not {type}"
WHERE_CONDITION_BOOL = ("where expected condition to be a boolean tensor, but got a tensor "
                        "with dtype {dtype}")
W_COMPLEX_TO_REAL = "Casting complex values to real discards the imaginary part"
W_DEPRECATED_ALPHA = ("This overload of {name} is deprecated:\n\t{name}(Tensor input, Number alpha, "
                      "Tensor other, *, Tensor out = None)\nConsider using one of the following signatures "
                      "instead:\n\t"
                      "{name}(Tensor input, Tensor other, *, Number alpha = 1, Tensor out = None)")
W_DEPRECATED_ALPHA_METHOD = ("This overload of {name} is deprecated:\n\t{name}(Number alpha, Tensor other)\n"
                             "Consider using one of the following signatures instead:\n\t"
                             "{name}(Tensor other, *, Number alpha = 1)")

# random sampling (_ops/random_ops.py, random.py): torch.Generator and ATen's distribution checks
MANUAL_SEED_TYPE = "manual_seed expected a long, but got {type}"
SEED_OVERFLOW = "Overflow when unpacking long long"
STATE_TYPE = "expected a torch.ByteTensor, but got {type}"
STATE_NOT_BYTE = "RNG state must be a torch.ByteTensor"
STATE_SIZE = ("Expected a CPUGeneratorImplState of size 5056 but found the input RNG state size to "
              "be {size}")
STATE_INVALID = "Invalid mt19937 state"
NO_OFFSET = "CPU Generator does not use offset"
NORMAL_STD = "normal expects std >= 0.0, but found std {std}"
NORMAL_STD_TENSOR = "normal expects all elements of std >= 0.0"
UNIFORM_RANGE = "uniform_ expects to return a [from, to) range, but found from={low} > to={high}"
UNIFORM_SPAN = ("uniform_ expects to-from <= std::numeric_limits<{dtype}>::max(), but found to={high} "
                "and from={low} which result in to-from to exceed the limit")
OUT_OF_BOUNDS = "{name} is out of bounds for {dtype}"
FLOAT_BOUNDS_WARNING = (
    "{name} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision limitations {dtype} can "
    "support discrete uniform distribution only within this range. This warning will become an "
    "error in version 1.7 release, please fix the code in advance")
RANDOM_FROM_TO = "random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
RANDOM_CAST_FROM_TO = ("random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, "
                       "but got from={low} >= to={high}")
RANDOM_CAST_TO_INC = ("random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' "
                      "casted to dtype, but got from={low} > to_inc={high}")
EXPONENTIAL_LAMBDA = "exponential_ expects lambda > 0.0, but found lambda={lambd}"
EXPONENTIAL_DTYPE = ("Exponential distribution is a continuous probability distribution. dtype must "
                     "be a floating point but you specified {dtype}")
BERNOULLI_RANGE = "bernoulli_ expects p to be in [0, 1], but got p={p}"
BERNOULLI_P_TENSOR = ("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
                      "message be improved?  If so, please report an enhancement request to PyTorch.)")
EXPAND = ("The expanded size of the tensor ({target}) must match the existing size ({size}) at "
          "non-singleton dimension {dim}.  Target sizes: {targets}.  Tensor sizes: {sizes}")
MULTINOMIAL_DIM = "prob_dist must be 1 or 2 dim"
MULTINOMIAL_DTYPE = "multinomial only supports floating-point dtypes for input, got: {dtype}"
MULTINOMIAL_ZERO = "cannot sample n_sample <= 0 samples"
MULTINOMIAL_TOO_MANY = "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
MULTINOMIAL_CATEGORIES = "number of categories cannot exceed 2^24"
MULTINOMIAL_INVALID = "probability tensor contains either `inf`, `nan` or element < 0"
MULTINOMIAL_SUM = "invalid multinomial distribution (sum of probabilities <= 0)"
MULTINOMIAL_NEGATIVE = "invalid multinomial distribution (encountering probability entry < 0)"
MULTINOMIAL_NONFINITE = ("invalid multinomial distribution (encountering probability entry = "
                         "infinity or NaN)")
NEGATIVE_DIM = "Trying to create tensor with negative dimension {dim}: {size}"
SIZE_TYPE = "{fn}(): argument 'size'{position} must be tuple of ints, not {type}"
GENERATOR_TYPE = "expected a torch.Generator, but got {type}"
EXPAND_TOO_FEW = ("expand: the number of sizes provided ({given}) must be greater or equal to the number "
                  "of dimensions in the tensor ({dims})")
SIZE_MISSING = ("{fn}() received an invalid combination of arguments - got (), but expected one of: "
                "(tuple of ints size, ...)")
RANDINT_NO_SIZE = "randint() missing required argument 'size'"
RANDPERM_TOO_LARGE = "n cannot be greater than {limit} for {dtype} type."
NORMAL_STD_COMPLEX = "normal expects standard deviation to be non-complex"
NORMAL_INVALID_ARGS = ("normal() received an invalid combination of arguments - got ({got}), but expected "
                       "one of: (Tensor mean, Tensor std), (Tensor mean, float std), (float mean, Tensor "
                       "std), (float mean, float std, tuple of ints size)")

# serialization (serialization.py): torch.load / torch.save, PytorchStreamReader
LOAD_WEIGHTS_ONLY_FAILED = ("Weights only load failed. numtorch.load never executes code from a checkpoint "
                            "(with weights_only=True or False): it loads tensors, containers and "
                            "primitives only.\nWeightsUnpickler error: ")
LOAD_NOT_ZIP = ("numtorch.load: the file is not a zip archive; only the zip format torch.save has written "
                "since PyTorch 1.6 is supported")
ZIP_NO_CENTRAL_DIR = "PytorchStreamReader failed reading zip archive: failed finding central directory"
ZIP_NO_RECORD = "PytorchStreamReader failed locating file {name}: file not found"
ZIP_BAD_RECORD = "PytorchStreamReader failed reading file {name}: {reason}"
ZIP_RATIO = "implausible compression ratio"
ZIP_PAST_END = "record runs past the end of file"
ZIP_LOCAL_HEADER = "invalid local file header"
ZIP_RECORD_SIZE = "the record holds {got} bytes, the checkpoint expects {expected}"
ZIP_CRC = "CRC-32 mismatch"
ZIP_ENDED_EARLY = "record ended early"
LOAD_CUDA_UNAVAILABLE = ("Attempting to deserialize object on a CUDA device but torch.cuda.is_available() "
                         "is False. If you are running on a CPU-only machine, please use torch.load with "
                         "map_location=torch.device('cpu') to map your storages to the CPU.")
SAVE_SHARED_DTYPES = "Cannot save multiple tensors or storages that view the same data as different types"
SAVE_UNSUPPORTED_TYPE = ("numtorch.save writes only what torch.load(weights_only=True) reads (tensors, "
                         "Parameters, dtypes, torch.Size, devices, containers and primitives); got {type}")
LOAD_PICKLE_MODULE = "Can not safely load weights when explicit pickle_module is specified"
LOAD_UNEXPECTED_KWARG = "load() got an unexpected keyword argument '{name}'"
LOAD_SAFETENSORS_MAP_LOCATION = ("Loading safetensors file with dict or callable map_location is not "
                                 "supported. Use a device string or torch.device instead.")
LOAD_MMAP_PATH = "f must be a file path in order to use the mmap argument"
LOAD_MMAP_ZIP = ("mmap can only be used with files saved with `torch.save({path}, "
                 "_use_new_zipfile_serialization=True), please torch.save your checkpoint with this option "
                 "in order to use mmap.")
LOAD_TORCHSCRIPT = "numtorch.load cannot load TorchScript archives"
LOAD_ENDIANNESS = "Unknown endianness type: {byteorder}"
LOAD_PERSISTENT_ID = "Only persistent_load of storage is allowed, but got {pid!r:.80}"
LOAD_STORAGE_RECORD = "invalid storage record {pid!r:.120}"
LOAD_MAP_LOCATION_RESULT = "map_location must return a storage it was given or None, got {type}"
SAVE_WIDE_INT = "numtorch.save cannot save integers wider than 2040 bits"
SAVE_RECURSIVE_TUPLE = "numtorch.save cannot save a tuple that contains itself"
SAVE_ZIP_ONLY = "numtorch.save writes only the zip format (_use_new_zipfile_serialization=True)"

# weights-only unpickler (_weights_only_unpickler.py): torch/_weights_only_unpickler.py's texts
UNPICKLE_UNSAFE_GLOBAL = ("Unsupported global: GLOBAL {name} was not an allowed global by default. numtorch "
                          "has no add_safe_globals: it never imports or calls what a checkpoint names.")
UNPICKLE_BLOCKED = "Trying to load unsupported GLOBAL {name} whose module {module} is blocked."
UNPICKLE_NO_COUNTERPART = ("GLOBAL {name} is allowed by torch.load(weights_only=True), but numtorch has no "
                           "counterpart for it (bfloat16, quantized, sparse, nested and meta tensors and "
                           "unsigned integers wider than 8 bits are not supported).")
SET_STORAGE_OUT_OF_BOUNDS = ("setStorage: sizes {size}, strides {stride}, storage offset {offset}, and "
                             "itemsize {itemsize} requiring a storage size of {need} are out of bounds for "
                             "storage of size {have}")
UNPICKLE_PARAMETER_DATA = "Parameter data must be a tensor, got {type}"
UNPICKLE_STORAGE = "expected a storage to rebuild a tensor from, got {type}"
UNPICKLE_GEOMETRY = "invalid tensor geometry: storage offset {offset!r}, size {size!r}, stride {stride!r}"
UNPICKLE_METADATA = "tensor metadata must be a dict, got {type}"
UNPICKLE_DTYPE = "expected a dtype, got {dtype!r}"
UNPICKLE_REBUILD_FUNC = "_rebuild_from_type_v2 called with {func!r}, which is not a tensor rebuild"
UNPICKLE_REBUILD_TYPE = "cannot rebuild a tensor of type {type!r}"
UNPICKLE_STATE = "object state must be a dict, got {type}"
UNPICKLE_SET_ATTRIBUTE = "refusing to set attribute {key!r} on {type}"
UNPICKLE_CODECS = "_codecs.encode is only allowed for text, got {type} with encoding {encoding!r}"
UNPICKLE_BYTEARRAY = "bytearray is only allowed from bytes"
UNPICKLE_DEVICE = "invalid device {type!r}, {index!r}"
UNPICKLE_CORRUPT = "corrupt pickle data at byte {pos}: {type}: {error}"
UNPICKLE_TRUNCATED = "pickle data was truncated"
UNPICKLE_NEWOBJ = ("Can only create new object for nn.Parameter or the allowed containers but got "
                   "{cls!r}")
UNPICKLE_REDUCE = "Trying to call reduce for unrecognized function {func!r}"
UNPICKLE_REDUCE_ARGS = "REDUCE arguments must be a tuple"
UNPICKLE_BUILD = "Can only build Tensor, Parameter or OrderedDict, but got {type}"
UNPICKLE_APPEND = "Can only append to lists, but got {type}"
UNPICKLE_SETITEM = ("Can only SETITEM for dict, collections.OrderedDict, collections.Counter, but got "
                    "{type}")
UNPICKLE_STACK_UNDERFLOW = "stack underflow"
UNPICKLE_MEMO = "Memo value not found at index {index}"
UNPICKLE_OPCODE = "Unsupported operand {key}"
UNPICKLE_NO_MARK = "could not find MARK"

# safetensors (utils/safetensors.py): the texts of the safetensors package
SAFETENSORS_NON_CONTIGUOUS = ("You are trying to save a non contiguous tensor: `{name}` which is not "
                              "allowed. It either means you are trying to save tensors which are reference "
                              "of each other in which case it's recommended to save only the full tensors, "
                              "and reslice at load time, or simply call `.contiguous()` on your tensor to "
                              "pack it before saving.")
SAFETENSORS_SHARED = ("\n            Some tensors share memory, this will lead to duplicate memory on disk "
                      "and potential differences when loading them again: {names}.\n            A potential "
                      "way to correctly save your model is to use `save_model`.\n            More "
                      "information at "
                      "https://huggingface.co/docs/safetensors/torch_shared_tensors\n            ")
SAFETENSORS_HEADER = "Error while deserializing header: {kind}"
SAFETENSORS_NOT_DICT = "Expected a dict of [str, torch.Tensor] but received {type}"
SAFETENSORS_NAME_TYPE = "tensor names must be str, got {type}"
SAFETENSORS_NOT_TENSOR = "Key `{name}` is invalid, expected torch.Tensor but received {type}"
SAFETENSORS_DTYPE = "safetensors has no dtype for {dtype} (`{name}`)"
SAFETENSORS_METADATA = "metadata must be a dict of str to str"

# utils.data samplers (torch/utils/data/sampler.py)
SAMPLER_BOOL = "{name} should be a boolean value, but got {name}={value}"
SAMPLER_POSITIVE_INT = "{name} should be a positive integer value, but got {name}={value}"
SAMPLER_WEIGHTS_1D = "weights should be a 1d sequence but given weights have shape {shape}"

# utils.data datasets (torch/utils/data/dataset.py)
DATASET_GETITEM = "Subclasses of Dataset should implement __getitem__."
DATASET_TENSOR_SIZES = "Size mismatch between tensors"
STACK_DATASET_BOTH = ("Supported either ``tuple``- (via ``args``) or``dict``- (via ``kwargs``) like "
                      "input/output, but both types are given.")
STACK_DATASET_SIZES = "Size mismatch between datasets"
STACK_DATASET_EMPTY = "At least one dataset should be passed"
STACK_DATASET_NESTED = "Nested dataset's output size mismatch. Expected {expected}, got {got}"
CONCAT_DATASET_EMPTY = "datasets should not be an empty iterable"
CONCAT_DATASET_ITERABLE = "ConcatDataset does not support IterableDataset"
CONCAT_DATASET_INDEX = "absolute value of index should not exceed dataset length"
W_CUMMULATIVE_SIZES = "`cummulative_sizes` attribute is renamed to `cumulative_sizes`"
CHAIN_DATASET_ITERABLE = "ChainDataset only supports IterableDataset"
SUBSET_GETITEMS = (
    "{name} overrides __getitem__ but not __getitems__. When subclassing Subset and overriding "
    "__getitem__, you must also override __getitems__ to ensure DataLoader works correctly with your "
    "custom logic. A simple implementation:\n\ndef __getitems__(self, indices):\n    return "
    "[self.__getitem__(idx) for idx in indices]")
SPLIT_FRACTION = "Fraction at index {index} is not between 0 and 1"
W_SPLIT_EMPTY = "Length of split at index {index} is 0. This might result in an empty dataset."
SPLIT_LENGTHS = "Sum of input lengths does not equal the length of the input dataset!"

# utils.data.DataLoader (torch/utils/data/dataloader.py)
LOADER_NUM_WORKERS = ("num_workers option should be non-negative; use num_workers=0 to disable "
                      "multiprocessing.")
LOADER_TIMEOUT = "timeout option should be non-negative"
LOADER_PREFETCH_SINGLE = ("prefetch_factor option could only be specified in multiprocessing.let num_workers "
                          "> 0 to enable multiprocessing, otherwise set prefetch_factor to None.")
LOADER_PREFETCH_NEGATIVE = "prefetch_factor option should be non-negative"
LOADER_PERSISTENT = "persistent_workers option needs num_workers > 0"
LOADER_ITERABLE_OPTION = ("DataLoader with IterableDataset: expected unspecified {name} option, but got "
                          "{name}={value}")
LOADER_SAMPLER_SHUFFLE = "sampler option is mutually exclusive with shuffle"
LOADER_BATCH_SAMPLER = ("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and "
                        "drop_last")
LOADER_NO_BATCH_DROP_LAST = ("batch_size=None option disables auto-batching and is mutually exclusive with "
                             "drop_last")
LOADER_START_METHOD = ("multiprocessing_context option should specify a valid start method in {methods!r}, "
                       "but got multiprocessing_context={context!r}")
LOADER_CONTEXT_TYPE = ("multiprocessing_context option should be a valid context object or a string "
                       "specifying the start method, but got multiprocessing_context={context}")
LOADER_CONTEXT_SINGLE = ("multiprocessing_context can only be used with multi-process loading (num_workers > "
                         "0), but got num_workers={num_workers}")
LOADER_SETATTR = "{attr} attribute should not be set after {name} is initialized"
W_LOADER_PIN_MEMORY_DEVICE = ("pin_memory_device is deprecated, the current accelerator will be used as the "
                              "device,ignore pin_memory_device='{device}'.")
W_LOADER_PIN_MEMORY = ("'pin_memory' argument is set as true but no accelerator is found, then device pinned "
                       "memory won't be used.")
LOADER_ITER_PICKLE = "{} cannot be pickled"
LOADER_SINGLE_TIMEOUT = "_SingleProcessDataLoaderIter requires timeout == 0"
LOADER_SINGLE_WORKERS = "_SingleProcessDataLoaderIter requires num_workers == 0"
LOADER_MULTI_WORKERS = "num_workers must be greater than 0 for MultiProcessingDataLoaderIter"
LOADER_MULTI_PREFETCH = "prefetch_factor must be greater than 0 for MultiProcessingDataLoaderIter"

# nn.functional: argument checks (torch/nn/functional.py and ATen's nn kernels)
EXPAND_SIZE = ("The expanded size of the tensor ({size}) must match the existing size ({existing}) at "
               "non-singleton dimension {dim}.  Target sizes: {target}.  Tensor sizes: {tensor}")
MM_DTYPE = "expected m1 and m2 to have the same dtype, but got: {a} != {b}"
ADDMM_DTYPE = "self and mat2 must have the same dtype, but got {a} and {b}"
NARROW_LENGTH = "narrow(): length must be non-negative."
PAD_NEGATIVE = ("The input size {size}, plus negative padding {lo} and {hi} resulted in a negative output "
                "size, which is invalid. Check dimension {dim} of your input.")
PAD_ODD = "Padding length must be divisible by 2"
PAD_TOO_LONG = ("Padding length should be less than or equal to two times the input dimension but got "
                "padding length {length} and input of dimension {dim}")
PAD_MODE = "Unrecognised padding mode {mode}"
ONE_HOT_LONG = "one_hot is only applicable to index tensor of type LongTensor."
ONE_HOT_EMPTY = "Can not infer total number of classes from empty tensor."
ONE_HOT_NEGATIVE = "Class values must be non-negative."
ONE_HOT_TOO_LARGE = "Class values must be smaller than num_classes."
DROPOUT_P = "dropout probability has to be between 0 and 1, but got {p}"
W_SOFTMAX_IMPLICIT_DIM = ("Implicit dimension choice for {name} has been deprecated. Change the call to "
                          "include dim=X as an argument.")
HARDTANH_MIN_MAX = "min_val cannot be greater than max_val"
GELU_APPROXIMATE = "approximate argument must be either none or tanh."
EMBEDDING_INDEX = "index out of range in self"
EMBEDDING_DTYPE = ("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                   "Long, Int; but got {type} instead (while checking arguments for embedding)")
PADDING_IDX = "Padding_idx must be within num_embeddings"
LAYER_NORM_SHAPE = ("Given normalized_shape={shape}, expected input with shape [*{tail}], but got input of "
                    "size{size}")
LAYER_NORM_AFFINE = ("Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                     "{got} and normalized_shape = {shape}")
NOT_DIFFERENTIABLE = ("The function '{fn}' is not differentiable with respect to argument '{arg}'. This "
                      "input cannot have requires_grad True.")

# losses
INVALID_REDUCTION = "{reduction} is not a valid value for reduction"
W_LEGACY_REDUCTION = ("size_average and reduce args will be deprecated, please use reduction='{}' "
                      "instead.")
W_ELEMENTWISE_MEAN = "reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead."
NLL_DIMS = "Expected 1 or more dimensions (got {dim})"
NLL_BATCH = "Expected input batch_size ({input}) to match target batch_size ({target})."
NLL_TARGET_DIM = "0D or 1D target tensor expected, multi-target not supported"
NLL_SIZE_MISMATCH = "size mismatch (got input: {input}, target: {target})"
NLL2D_SIZE_MISMATCH = "size mismatch (got input: {input} , target: {target}"
NLL2D_TARGET_DIM = ("only batches of spatial targets supported (3D tensors) but got targets of "
                    "dimension: {dim}")
NLL_ND_TARGET_SIZE = "Expected target size {expected}, got {got}"
NLL_WEIGHT = ("weight tensor should be defined either for all {n} classes or no classes but got weight "
              "tensor of shape: {shape}")
NLL2D_WEIGHT = "weight tensor should be defined either for all or no classes"
NLL_TARGET_DTYPE = "expected target dtype to be Long or Byte, but got {dtype}"
NLL_TARGET_BOUNDS = "Target {target} is out of bounds."
SCALAR_TYPE = "expected scalar type {expected} but found {got}"
NOT_IMPLEMENTED_DTYPE = "\"{kernel}\" not implemented for '{dtype}'"
CE_PROB_DTYPE = "Expected floating point type for target with class probabilities, got {dtype}"
CE_PROB_IGNORE = "ignore_index is not supported for floating point target"
CE_LABEL_SMOOTHING = "label_smoothing must be between 0.0 and 1.0. Got: {value}"
CE_PROB_WEIGHT = ("cross_entropy: weight tensor should be defined either for all {n} classes or no "
                  "classes but got weight tensor of shape: {shape}")
W_TARGET_SIZE = ("Using a target size ({target}) that is different to the input size ({input}). This "
                 "will likely lead to incorrect results due to broadcasting. Please ensure they have "
                 "the same size.")
BCE_TARGET_SIZE = ("Using a target size ({target}) that is different to the input size ({input}) is "
                   "deprecated. Please ensure they have the same size.")
BCE_LOGITS_TARGET_SIZE = "Target size ({target}) must be the same as input size ({input})"
BCE_INPUT_RANGE = "all elements of input should be between 0 and 1"
BCE_TARGET_RANGE = "all elements of target should be between 0 and 1"
WEIGHT_SIZE = "Weights and input must have the same size."
INVALID_REDUCTION_MODE = "Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'."
SMOOTH_L1_BETA = "smooth_l1_loss does not support negative values for beta."
HUBER_DELTA = "huber_loss does not support non-positive values for delta."

# nn.Module, nn.Parameter and containers (torch/nn/modules/module.py, container.py)
MODULE_NO_FORWARD = 'Module [{name}] is missing the required "forward" function'
MODULE_INIT_KWARG = "{name}.__init__() got an unexpected keyword argument '{key}'"
MODULE_INIT_ARGS = "{name}.__init__() takes 1 positional argument but {n} were given"
MODULE_NO_ATTRIBUTE = "'{type}' object has no attribute '{name}'"
BUFFER_BEFORE_INIT = "cannot assign buffer before Module.__init__() call"
PARAMETER_BEFORE_INIT = "cannot assign parameter before Module.__init__() call"
PARAMETERS_BEFORE_INIT = "cannot assign parameters before Module.__init__() call"
MODULE_BEFORE_INIT = "cannot assign module before Module.__init__() call"
NAME_NOT_STR = "{kind} name should be a string. Got {type}"
NAME_HAS_DOT = "{kind} name can't contain \".\""
MODULE_NAME_HAS_DOT = "module name can't contain \".\", got: {name}"
NAME_EMPTY = "{kind} name can't be empty string \"\""
ATTRIBUTE_EXISTS = "attribute '{name}' already exists"
BUFFER_TYPE = "cannot assign '{type}' object to buffer '{name}' (torch Tensor or None required)"
BUFFER_ASSIGN_TYPE = ("cannot assign '{type}' as buffer '{name}' (torch.nn.Buffer, torch.Tensor or None "
                      "expected)")
PARAMETER_TYPE = "cannot assign '{type}' object to parameter '{name}' (torch.nn.Parameter or None required)"
PARAMETER_ASSIGN_TYPE = "cannot assign '{type}' as parameter '{name}' (torch.nn.Parameter or None expected)"
PARAMETER_NONLEAF = ("Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must be "
                     "created explicitly. To express '{name}' as a function of another Tensor, compute "
                     "the value in the forward() method.")
MODULE_TYPE = "{type} is not a Module subclass"
CHILD_ASSIGN_TYPE = "cannot assign '{type}' as child module '{name}' (torch.nn.Module or None expected)"
SUBMODULE_MISSING = "{module} has no attribute `{name}`"
NOT_A_MODULE = "`{name}` is not an nn.Module"
NOT_A_PARAMETER = "`{name}` is not an nn.Parameter"
NOT_A_BUFFER = "`{name}` is not a buffer"
TRAIN_MODE_BOOL = "training mode is expected to be boolean"
MODULE_TO_DTYPE = ("nn.Module.to only accepts floating point or complex dtypes, but got desired "
                   "dtype={dtype}")
STATE_DICT_TYPE = "Expected state_dict to be dict-like, got {type}."
STATE_DICT_ERRORS = "Error(s) in loading state_dict for {name}:\n\t{errors}"
STATE_DICT_MISSING = "Missing key(s) in state_dict: {keys}. "
STATE_DICT_UNEXPECTED = "Unexpected key(s) in state_dict: {keys}. "
STATE_DICT_SIZE = ("size mismatch for {key}: copying a param with shape {got} from checkpoint, the shape "
                   "in current model is {expected}.")
STATE_DICT_NOT_TENSOR = ('While copying the parameter named "{key}", expected torch.Tensor or Tensor-like '
                         "object from checkpoint but received {type}")
STATE_DICT_COPY = ('While copying the parameter named "{key}", whose dimensions in the model are '
                   "{expected} and whose dimensions in the checkpoint are {got}, an exception occurred "
                   ": {args}.")
FORWARD_PRE_HOOK_RESULT = ("forward pre-hook must return None or a tuple of (new_args, new_kwargs), but "
                           "got {result}.")
W_POSITIONAL_STATE_DICT = (
    "Positional args are being deprecated, use kwargs instead. Refer to "
    "https://pytorch.org/docs/main/generated/torch.nn.Module.html#torch.nn.Module.state_dict for "
    "details.")
INDEX_OUT_OF_RANGE = "index {index} is out of range"
SEQUENTIAL_ADD = "add operator supports only objects of Sequential class, but {type} is given."
EXTEND_ITERABLE = "{cls}.extend should be called with an iterable, but got {type}"
PARAMETER_LIST_CALL = "ParameterList should not be called."
PARAMETER_DICT_CALL = "ParameterDict should not be called."
UNFLATTEN_SIZE_ELEM = "unflattened_size must be tuple of ints, but found element of type {type} at pos {pos}"
UNFLATTEN_SIZE_TYPE = "unflattened_size must be a tuple of ints, but found type {type}"
EMBEDDING_WEIGHT_SHAPE = "Shape of weight does not match num_embeddings and embedding_dim"
EMBEDDING_PRETRAINED_DIM = "Embeddings parameter is expected to be 2-dimensional"
HARDTANH_MODULE = "max_val ({max}) must be greater than min_val ({min})"
HUBER_DELTA_TYPE = "delta must be a float or int, got: {type}"
INIT_FAN = "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions"
INIT_MODE = "Mode {mode} not supported, please use one of {modes}"
INIT_NONLINEARITY = "Unsupported nonlinearity {name}"
INIT_SLOPE = "negative_slope {param} not a valid number"
W_INIT_ZERO_ELEMENT = "Initializing zero-element tensors is a no-op"

# optim (torch/optim/optimizer.py, sgd.py, adam.py)
OPTIM_PARAMS_TENSOR = ("params argument given to the optimizer should be an iterable of Tensors or dicts, "
                       "but got {type}")
OPTIM_EMPTY = "optimizer got an empty parameter list"
OPTIM_GROUP_DICT = "param_group must be a dict, but got {type}"
OPTIM_SET = ("optimizer parameters need to be organized in ordered collections, but the ordering of "
             "tensors in sets will change between runs. Please use a list instead.")
OPTIM_NOT_TENSOR = "optimizer can only optimize Tensors, but one of the params is {type}"
OPTIM_NON_LEAF = "can't optimize a non-leaf Tensor"
OPTIM_REQUIRED = "parameter group didn't specify a value of required optimization parameter {name}"
W_OPTIM_DUPLICATE = ("optimizer contains a parameter group with duplicate parameters; in future, this "
                     "will cause an error; see github.com/pytorch/pytorch/issues/40967 for more "
                     "information")
OPTIM_OVERLAP = "some parameters appear in more than one parameter group"
OPTIM_NAMES_MISSING = "all optimizer params should be with/without names. Some param names are missing"
OPTIM_GROUP_NAMES = ("all optimizer param groups should be with/without names. cannot add param group "
                     "{txt} to the optimizer")
OPTIM_LOAD_GROUPS = "loaded state dict has a different number of parameter groups"
OPTIM_LOAD_GROUP_SIZE = ("loaded state dict contains a parameter group that doesn't match the size of "
                         "optimizer's group")
INVALID_LR = "Invalid learning rate: {value}"
INVALID_MOMENTUM = "Invalid momentum value: {value}"
INVALID_WEIGHT_DECAY = "Invalid weight_decay value: {value}"
INVALID_EPS = "Invalid epsilon value: {value}"
INVALID_BETA = "Invalid beta parameter at index {index}: {value}"
BETAS_TYPES = "betas must be either both floats or both Tensors"
NESTEROV = "Nesterov momentum requires a momentum and zero dampening"
TENSOR_LR = "Tensor lr must be 1-element"
INVALID_LR_DECAY = "Invalid lr_decay value: {value}"
INVALID_INITIAL_ACCUMULATOR = "Invalid initial_accumulator_value value: {value}"
INVALID_ALPHA = "Invalid alpha value: {value}"
FUSED_DIFFERENTIABLE = "`fused` does not support `differentiable`"
FUSED_FOREACH = "`fused` and `foreach` cannot be `True` together."
CAPTURABLE_DEVICES = ("If capturable=True, params and state_steps must be on supported devices: "
                      "['cuda', 'xpu', 'hpu', 'privateuseone', 'xla'].")
ADAM_SPARSE = "Adam does not support sparse gradients, please consider SparseAdam instead"
OPTIM_STEP_HOOK_RESULT = ("{fn} must return None or a tuple of (new_args, new_kwargs), but got "
                          "{result}.")
NLL_UNBATCHED = "For 1D input, 1D target must have size 1, but got target size: {size}"
# deliberate gap (docs/differences.md): only constant padding exists so far
PAD_MODE_UNSUPPORTED = "numtorch: F.pad mode '{mode}' is not implemented yet (only 'constant')"
INIT_2D = "Only tensors with 2 dimensions are supported"
INIT_MIN_2D = "Only tensors with 2 or more dimensions are supported"
W_ALWAYS_CALL_HOOK = ("module forward hook with ``always_call=True`` raised an exception that was "
                      "silenced as another error was raised in forward: {error}")

# optim.lr_scheduler (torch/optim/lr_scheduler.py)
SCHED_NOT_OPTIMIZER = "{type} is not an Optimizer"
SCHED_INITIAL_LR = (
    "param 'initial_lr' is not specified in param_groups[{index}] when resuming scheduler with "
    "last_epoch >= 0.\nThis typically happens when:\n1. You're trying to resume training from a "
    "checkpoint but haven't properly loaded the optimizer state\n2. You're using last_epoch >= 0 "
    "for a fresh training run (not recommended)")
W_SCHED_STEP_OVERRIDDEN = (
    "Seems like `optimizer.step()` has been overridden after learning rate scheduler initialization. "
    "Please, make sure to call `optimizer.step()` before `lr_scheduler.step()`. See more details at "
    "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate")
W_SCHED_ORDER = (
    "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, "
    "you should call them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  "
    "Failure to do this will result in PyTorch skipping the first value of the learning rate "
    "schedule. See more details at "
    "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate")
W_SCHED_EPOCH = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where "
    "possible. Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch "
    "is different from None, the closed form is used instead of the new chainable form, where "
    "available. Please open an issue if you are unable to replicate your use case: "
    "https://github.com/pytorch/pytorch/issues/new/choose.")
W_SCHED_GET_LR = "To get the last learning rate computed by the scheduler, please use `get_last_lr()`."
SCHED_LAMBDAS = "Expected {expected} lr_lambdas, but got {got}"
SCHED_LINEAR_START = ("Starting multiplicative factor expected to be greater than 0 and less or equal "
                      "to 1.")
SCHED_LINEAR_END = "Ending multiplicative factor expected to be between 0 and 1."
SCHED_CONSTANT_FACTOR = "Constant multiplicative factor expected to be between 0 and 1."
SCHED_PARAM_LENGTH = ("{name} must have the same length as optimizer.param_groups. {name} has {got} values, "
                      "param_groups has {expected}.")
SCHED_LAMBDA_NOT_CALLABLE = "lr_lambda should be a function, but got {type}"
SCHED_NO_SCHEDULERS = "{name} expects at least one scheduler, but got no scheduler."
SCHED_NO_SCHEDULERS_CHAINED = "{name} expects at least one scheduler to be chained, but got no scheduler."
SCHED_NO_OPTIMIZER_ATTR = "{name} at index {index} should have `optimizer` as its attribute."
SCHED_PLATEAU_IN_LIST = ("{name} does not support `ReduceLROnPlateau` scheduler as it requires additional "
                         "kwargs to be specified when calling `step`, but got one at index {index} in the "
                         "given schedulers sequence.")
SCHED_OTHER_OPTIMIZER = ("{name} expects all schedulers to belong to the same optimizer, but got scheduler "
                         "{scheduler} at index {index} has {optimizer}, which is different from {expected}.")
SCHED_MILESTONES = ("Sequential Schedulers expects number of schedulers provided to be one more than the "
                    "number of milestone points, but got number of schedulers {schedulers} and the number "
                    "of milestones to be equal to {milestones}")
PLATEAU_FACTOR = "Factor should be < 1.0."
PLATEAU_MIN_LRS = "expected {expected} min_lrs, got {got}"
PLATEAU_GROUPS_CHANGED = (
    "The number of param groups in the `optimizer` ({groups}) differs from when `ReduceLROnPlateau` was "
    "initialized ({min_lrs}), usually due to a new param group being added to the optimizer. Please "
    "modify the `min_lrs` field to match the length of the `optimizer` param groups.")
CYCLIC_MODE = "mode is invalid and scale_fn is None"
SCHED_NO_MOMENTUM = "optimizer must support momentum or beta1 with `cycle_momentum` option enabled"
WARM_RESTARTS_T0 = "Expected positive integer T_0, but got {value}"
WARM_RESTARTS_T_MULT = "Expected integer T_mult >= 1, but got {value}"
WARM_RESTARTS_ETA_MIN = "Expected float or int eta_min, but got {value} of type {type}"
WARM_RESTARTS_EPOCH = "Expected non-negative epoch, but got {epoch}"
ONE_CYCLE_POSITIVE_INT = "Expected positive integer {name}, but got {value}"
ONE_CYCLE_STEPS = "You must define either total_steps OR (epochs AND steps_per_epoch)"
ONE_CYCLE_PCT_START = "Expected float between 0 and 1 pct_start, but got {value}"
ONE_CYCLE_ANNEAL = "anneal_strategy must be one of 'cos' or 'linear', instead got {value}"
ONE_CYCLE_ANNEAL_TYPE = "Unknown _anneal_func_type: {value}"
ONE_CYCLE_TOO_MANY_STEPS = "Tried to step {step} times. The specified number of total steps is {total}"

# attention and recurrent layers (nn/_functional_attention.py, nn/modules/{rnn,transformer}.py,
# nn/modules/activation_attention.py, _ops/attention_ops.py)
DERIVATIVE_NOT_IMPLEMENTED = "derivative for {name} is not implemented"
BMM_3D = "{name} must be a 3D tensor"
REPEAT_DIMS = ("Number of dimensions of repeat dims can not be smaller than number of dimensions of "
               "tensor")
SDPA_DTYPES = ("Expected query, key, and value to have the same dtype, but got query.dtype: {q} "
               "key.dtype: {k} and value.dtype: {v} instead.")
SDPA_DIMS = ("Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: {q} "
             "key.dim: {k} and value.dim: {v} instead.")
SDPA_MASK_DTYPE = ("Expected attn_mask dtype to be bool or float or to match query dtype, but got "
                   "attn_mask.dtype: {m} and  query.dtype: {q} instead.")
SDPA_GQA_HEADS = "Number of heads in key and value must divide the number of heads in "
SDPA_CAUSAL_WITH_MASK = ("_scaled_dot_product_attention: Explicit attn_mask should not be set when "
                         "is_causal=True")
MHA_PROJ_WEIGHT = "expecting {name} weights shape of {shape}, but got {got}"
MHA_PROJ_BIAS = "expecting {name} bias shape of {shape}, but got {got}"
MHA_BATCHED_KV = ("For batched (3-D) `query`, expected `key` and `value` to be 3-D but found {k}-D and "
                  "{v}-D tensors respectively")
MHA_BATCHED_KPM = ("For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but found "
                   "{d}-D tensor instead")
MHA_BATCHED_MASK = ("For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
                    "{d}-D tensor instead")
MHA_UNBATCHED_KV = ("For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found {k}-D "
                    "and {v}-D tensors respectively")
MHA_UNBATCHED_KPM = ("For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D but "
                     "found {d}-D tensor instead")
MHA_UNBATCHED_MASK = ("For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but "
                      "found {d}-D tensor instead")
MHA_MASK_3D_SHAPE = "Expected `attn_mask` shape to be {expected} but got {got}"
MHA_QUERY_DIM = "query should be unbatched 2D or batched 3D tensor but received {d}-D query tensor"
MHA_MASK_TYPES = "only bool and floating types of {name} are supported"
W_MHA_MASK_MISMATCH = ("Support for mismatched {name} and {other} is deprecated. Use same type for both "
                       "instead.")
MHA_NONE_OR_DTYPE = "input to _none_or_dtype() must be None or torch.Tensor"
MHA_KPM_SIZE = "Expected key_padded_mask.shape[{i}] to be {expected}, but got {got}"
MHA_CAUSAL_NEEDS_MASK = ("Need attn_mask if specifying the is_causal hint. You may use the Transformer "
                         "module method `generate_square_subsequent_mask` to create this mask.")
MHA_EMBED_DIM = "was expecting embedding dimension of {expected}, but got {got}"
MHA_NOT_DIVISIBLE = "embed_dim {embed_dim} not divisible by num_heads {num_heads}"
MHA_KV_SEQ_BATCH = "key's sequence and batch dims {k} do not match value's {v}"
MHA_KV_SHAPE = "key shape {k} does not match value shape {v}"
MHA_NO_IN_PROJ = "use_separate_proj_weight is False but in_proj_weight is None"
MHA_NO_SEPARATE_PROJ = "use_separate_proj_weight is True but {name}_proj_weight is None"
MHA_MASK_2D = "The shape of the 2D attn_mask is {got}, but should be {expected}."
MHA_MASK_3D = "The shape of the 3D attn_mask is {got}, but should be {expected}."
MHA_MASK_DIM = "attn_mask's dimension {d} is not supported"
MHA_BIAS_STATIC = "bias cannot be added to static {name}."
MHA_BIAS_HALF = "{a} is set but {b} is None"
MHA_STATIC_SIZE = "expecting {name}.size({i}) of {expected}, but got {got}"
MHA_POSITIVE = ("embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} and "
                "num_heads={num_heads} instead")
MHA_HEADS_DIVIDE = "embed_dim must be divisible by num_heads"
TRANSFORMER_ACTIVATION = "activation should be relu/gelu, not {activation}"
TRANSFORMER_BATCH = "the batch number of src and tgt must be equal"
TRANSFORMER_FEATURES = "the feature number of src and tgt must be equal to d_model"
W_TRANSFORMER_NESTED = "enable_nested_tensor is True, but self.use_nested_tensor is False because {why}"
RNN_EMPTY_SEQUENCE = "Expected sequence length to be larger than 0 in RNN"
RNN_DROPOUT_RANGE = ("dropout should be a number in range [0, 1] representing the probability of an "
                     "element being zeroed")
W_RNN_DROPOUT_ONE_LAYER = ("dropout option adds dropout after all but last recurrent layer, so non-zero "
                           "dropout expects num_layers greater than 1, but got dropout={dropout} and "
                           "num_layers={num_layers}")
RNN_ARG_TYPE = "{name} should be of type {kind}, got: {type}"
RNN_POSITIVE = "{name} must be greater than zero"
RNN_PROJ_NEGATIVE = "proj_size should be a positive integer or zero to disable projections"
RNN_PROJ_TOO_LARGE = "proj_size has to be smaller than hidden_size"
RNN_PROJ_ONLY_LSTM = "proj_size argument is only supported for LSTM, not RNN or GRU"
RNN_NONLINEARITY = "Unknown nonlinearity '{name}'. Select from 'tanh' or 'relu'."
RNN_INPUT_DTYPE = ("RNN input dtype ({got}) does not match weight dtype ({w}). Convert input: "
                   "input.to({w}), or convert model: model.to({got})")
RNN_INPUT_DIMS = "input must have {expected} dimensions, got {got}"
RNN_INPUT_SIZE = "input.size(-1) must be equal to input_size. Expected {expected}, got {got}"
RNN_INPUT_RANK = "{name}: Expected input to be 2D or 3D, got {d}D{suffix} instead"
RNN_HX_BATCHED = "For batched 3-D input, hx should also be 3-D but got {d}-D tensor"
RNN_HX_UNBATCHED = "For unbatched 2-D input, hx should also be 2-D but got {d}-D tensor"
LSTM_HX_BATCHED = "For batched 3-D input, hx and cx should also be 3-D but got ({h}-D, {c}-D) tensors"
LSTM_HX_UNBATCHED = ("For unbatched 2-D input, hx and cx should also be 2-D but got ({h}-D, {c}-D) "
                     "tensors")
RNN_CELL_INPUT_RANK = "{name}: Expected input to be 1D or 2D, got {d}D instead"
RNN_CELL_HIDDEN_RANK = "{name}: Expected {what} to be 1D or 2D, got {d}D instead"
RNN_CELL_NONLINEARITY = "Unknown nonlinearity: {name}"
RNN_CELL_INPUT_SIZE = "input has inconsistent input_size: got {got} expected {expected}"
RNN_CELL_BATCH = "Input batch size {batch} doesn't match hidden{label} batch size {got}"
RNN_CELL_HIDDEN_SIZE = "hidden{label} has inconsistent hidden_size: got {got}, expected {expected}"
# nn.utils.rnn (issue 4): packing, padding, PackedSequence
PACK_EMPTY = "Cannot pack empty tensors."
PACK_LONG_TENSOR = "'lengths' argument should be a 1D CPU int64 tensor, but got {d}D {device} {type} tensor"
PACK_LENGTHS_COUNT = "Expected `len(lengths)` to be equal to batch_size, but got {got} (batch_size={batch})"
PACK_NONPOSITIVE = ("Length of all samples has to be greater than 0, but found an element in 'lengths' "
                    "that is <= 0")
PACK_UNSORTED = ("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can "
                 "pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this "
                 "requirement if you do not need ONNX exportability.")
PAD_TOTAL_LENGTH = ("Expected total_length to be at least the length of the longest sequence in input, but "
                    "got total_length={total} and max sequence length being {max}")
PAD_NOT_ITERABLE = "pad_sequence: Expected iterable for input sequences, but got arg of type: {type}"
PAD_EMPTY_LIST = "received an empty list of sequences"
PAD_SIDE = "Expected padding_side to be one of left or right, but got {side}."
PAD_FIRST_0D = "ArrayRef: invalid slice, N = 1; size = 0"
PAD_ELEMENT_TYPE = "expected Tensor as element {index} in argument 0, but got {type}"
DIM_OF_0D = "Dimension specified as {dim} but tensor has no dimensions"
ARG_TYPE_AT = "{fn}(): argument '{name}' (position {pos}) must be {kind}, not {type}"
PACKED_BATCH_SIZES_CPU = ("batch_sizes should always be on CPU. Instances of PackedSequence should never be "
                          "created manually. They should be instantiated by functions like pack_sequence and "
                          "pack_padded_sequences in nn.utils.rnn. "
                          "https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence")
PACKED_DATA_PAIR = "Expected data to be a list or tuple of length 2"
NO_ACCELERATOR = "Cannot access accelerator device when none is available."
RNN_STACKED_HIDDENS = "Expected more hidden states in stacked_rnn"
LSTM_TWO_STATES = "lstm expects two hidden states"
RNN_PARAM_COUNT = "got an incorrect number of RNN parameters"
RNN_ODD_BIDIRECTIONAL = "Odd number of params or hiddens given to a bidirectional RNN"

# convolution (issue 4): at::_convolution, check_shape_forward and the CPU kernels' checks
CONV_BIAS_DTYPE = "Input type ({input}) and bias type ({bias}) should be the same"
CONV_INPUT_RANK = ("Expected {unbatched}D (unbatched) or {batched}D (batched) input to {name}, but got "
                   "input of size: {size}")
CONV_WEIGHT_DIM = "weight should have at least three dimensions"
CONV_GROUPS = "non-positive groups is not supported"
CONV_EXPAND_PARAM = ("expected {name} to be a single integer value or a list of {dim} values to match "
                     "the convolution dimensions, but got {name}={value}")
CONV_NEG_PADDING = "negative padding is not supported"
CONV_NEG_OUTPUT_PADDING = "negative output_padding is not supported"
CONV_STRIDE = "non-positive stride is not supported"
CONV_DILATION_NEG = "dilation should be greater than zero"
CONV_WEIGHT_INPUT_DIM = ("Expected {wd}-dimensional input for {wd}-dimensional weight {wsize}, but got "
                         "{k}-dimensional input of size {isize} instead")
CONV_SAME_WEIGHT_INPUT_DIM = ("Expected {wd}-dimensional input for {wd}-dimensional weight{wsize}, but "
                              "got {k}-dimensional input of size {isize} instead")
CONV_GROUPS_AT_LEAST = ("Given groups={groups}, expected weight to be at least {groups} at dimension 0, "
                        "but got weight of size {wsize} instead")
CONV_GROUPS_DIVISIBLE = ("Given groups={groups}, expected weight to be divisible by {groups} at dimension "
                         "0, but got weight of size [{wsize}] instead")
CONV_CHANNELS = ("Given groups={groups}, weight of size {wsize}, expected input{isize} to have "
                 "{expected} channels, but got {got} channels instead")
CONV_BIAS_SHAPE = ("Given weight of size {wsize}, expected bias to be 1-dimensional with {expected} "
                   "elements, but got bias of size {bsize} instead")
CONV_KERNEL_SIZE = ("Calculated padded input size per channel: ({input}). Kernel size: ({kernel}). "
                    "Kernel size can't be greater than actual input size")
CONV_T_CHANNELS = ("Given transposed=1, weight of size {wsize}, expected input{isize} to have "
                   "{expected} channels, but got {got} channels instead")
CONV_T_BIAS_SHAPE = ("Given transposed=1, weight of size {wsize}, expected bias to be 1-dimensional "
                     "with {expected} elements, but got bias of size {bsize} instead")
CONV_DILATION_ZERO = "dilation should be greater than zero, but got {dilation}"
CONV_T_DILATION = "dilation should be greater than zero, but got dilation_height: {h}, dilation_width: {w}"
CONV_T_OUTPUT_PADDING = ("output padding must be smaller than either stride or dilation, but got "
                         "output_padding_height: {oph} output_padding_width: {opw} stride_height: {sh} "
                         "stride_width: {sw} dilation_height: {dh} dilation_width: {dw}")
CONV_T_OUTPUT_SIZE = ("Given input size per channel: ({input}). Calculated output size per channel: "
                      "({output}). Output size is too small")
CONV_DTYPE = "expected scalar type {expected} but found {got}"
CONV_SAME_STRIDE = "padding='same' is not supported for strided convolutions"
CONV_PADDING_STRING = "Invalid padding string: '{padding}'"
W_CONV_SAME_EVEN = ("Using padding='same' with even kernel lengths and odd dilation may require a "
                    "zero-padded copy of the input be created")
NOT_IMPLEMENTED_FOR = "\"{op}\" not implemented for '{dtype}'"
CONV_MODULE_GROUPS = "groups must be a positive integer"
CONV_MODULE_IN_CHANNELS = "in_channels must be divisible by groups"
CONV_MODULE_OUT_CHANNELS = "out_channels must be divisible by groups"
CONV_MODULE_PADDING_STRING = "Invalid padding string {padding!r}, should be one of {valid}"
CONV_MODULE_PADDING_MODE = "padding_mode must be one of {valid}, but got padding_mode='{mode}'"
CONV_T_MODULE_ZEROS = 'Only "zeros" padding mode is supported for {name}'
CONV_T_FORWARD_ZEROS = "Only `zeros` padding mode is supported for {name}"
CONV_T_OUTPUT_SIZE_LENGTH = ("ConvTranspose{nd}D: for {dim}D input, output_size must have {nd} or {full} "
                             "elements (got {got})")
CONV_T_OUTPUT_SIZE_RANGE = ("requested an output size of {size}, but valid sizes range from {min} to "
                            "{max} (for an input of {input})")

# nn.init (torch/nn/init.py): dirac_, trunc_normal_, the deprecated aliases
INIT_DIRAC_DIMS = "Only tensors with 3, 4, or 5 dimensions are supported"
INIT_DIRAC_GROUPS = "dim 0 must be divisible by groups"
W_TRUNC_NORMAL_MEAN = ("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution "
                       "of values may be incorrect.")
W_INIT_DEPRECATED = "`nn.init.{old}` is now deprecated in favor of `nn.init.{new}`."

# dropout (aten/src/ATen/native/Dropout.cpp, torch/nn/functional.py)
FEATURE_DROPOUT_DIM = "Feature dropout requires at least 2 dimensions in the input"
DROPOUT1D_DIM = ("dropout1d: Expected 2D or 3D input, but received a {dim}D input. Note that dropout1d "
                 "exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel "
                 "dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
W_DROPOUT_ND_DIM = ("dropout{n}d: Received a {dim}-D input to dropout{n}d, which is deprecated and will "
                    "result in an error in a future release. To retain the behavior and silence this "
                    "warning, please use dropout instead. Note that dropout{n}d exists to provide "
                    "channel-wise dropout on inputs with {n} spatial dimensions, a channel dimension, "
                    "and an optional batch dimension (i.e. {shapes} inputs).")
W_DROPOUT2D_3D = ("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout "
                  "behavior is desired - input is interpreted as shape (N, C, L), where C is the channel "
                  "dim. This behavior will change in a future release to interpret the input as one "
                  "without a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise "
                  "dropout behavior, please switch to using dropout1d instead.")

# pooling (issue 4): Pool.h, max_pool2d_with_indices / avg_pool2d meta, max_pool1d, 1-d wrappers
POOL_STRIDE_ZERO = "stride should not be zero"
POOL_PAD_NEGATIVE = "pad must be non-negative, but got pad: {pad}"
POOL_PAD_HALF = ("pad should be at most half of effective kernel size, but got pad={pad}, "
                 "kernel_size={kernel} and dilation={dilation}")
POOL_KERNEL_POSITIVE = "kernel size should be greater than zero, but got kH: {kh} kW: {kw}"
POOL_STRIDE_POSITIVE = "stride should be greater than zero, but got dH: {sh} dW: {sw}"
POOL_DILATION_POSITIVE = "dilation should be greater than zero, but got dilationH: {dh} dilationW: {dw}"
POOL_INPUT_EMPTY = ("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, "
                    "but got:{size}")
POOL_PAD_EFFECTIVE = ("pad should be smaller than or equal to half of effective kernel size, but got "
                      "padW = {pw}, padH = {ph}, effectiveKW = {ekw}, effectiveKH = {ekh}")
POOL_OUTPUT_SMALL = ("Given input size: ({c}x{h}x{w}). Calculated output size: ({c}x{oh}x{ow}). "
                     "Output size is too small")
MAX_POOL2D_KERNEL = "max_pool2d: kernel_size must either be a single int, or a tuple of two ints"
MAX_POOL2D_STRIDE = "max_pool2d: stride must either be omitted, a single int, or a tuple of two ints"
MAX_POOL2D_PADDING = "max_pool2d: padding must either be a single int, or a tuple of two ints"
MAX_POOL2D_DILATION = "max_pool2d: dilation must be either a single int, or a tuple of two ints"
MAX_POOL2D_RANK = "non-empty 3D or 4D (batch mode) tensor expected for input"
POOL_CHECK1D = "{fn}() argument '{name}' should contain one int (got {got})"
POOL_DIM_RANGE = ("Expected {low} to {high} dimensions, but got {d}-dimensional tensor for argument #1 "
                  "'self' (while checking arguments for {fn})")
MAX_POOL1D_RANK = ("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size "
                   "for input, but got:{size}")
MAX_POOL1D_ARG = {
    "kernel_size": ("max_pool1d() kernel_size must be an int, list of ints or tuple of ints of size 1 "
                    "but got size {got}"),
    "stride": ("max_pool1d() stride must be None, an int, list of ints, or tuple of ints of size 1 but "
               "got size {got}"),
    "padding": ("max_pool1d() padding must be an int, list of ints, or tuple of ints of size 1 but got "
                "size {got}"),
    "dilation": ("max_pool1d() dilation must be an int, list of ints or tuple of ints of size 1 but got "
                 "size {got}")}
MAX_POOL1D_KERNEL = "max_pool1d() kernel_size must be greater than zero, but got {value}"
MAX_POOL1D_STRIDE = "max_pool1d() stride must be greater than zero, but got {value}"
MAX_POOL1D_PADDING = "max_pool1d() padding must be non-negative, but got {value}"
MAX_POOL1D_PADDING_HALF = ("max_pool1d() padding should be at most half of kernel size, but got "
                           "padding={padding} and kernel_size={kernel}")
MAX_POOL1D_DILATION = "max_pool1d() dilation must be greater than zero, but got {value}"
MAX_POOL1D_OUTPUT = "max_pool1d() Invalid computed output size: {value}"
AVG_POOL2D_KERNEL = "avg_pool2d: kernel_size must either be a single int, or a tuple of two ints"
AVG_POOL2D_STRIDE = "avg_pool2d: stride must either be omitted, a single int, or a tuple of two ints"
AVG_POOL2D_PADDING = "avg_pool2d: padding must either be a single int, or a tuple of two ints"
AVG_POOL_DIVISOR = "divisor must be not zero"
ADAPTIVE_DEFAULT_DIM = "Input dimension should be at least {n}"
ADAPTIVE_OUTPUT_SIZE = "adaptive_avg_pool2d: output_size must be 2"
ADAPTIVE_OUTPUT_NEGATIVE = ("adaptive_avg_pool2d: elements of output_size must be greater than or equal "
                            "to 0 but received {{{h}, {w}}}")
ADAPTIVE_RANK = "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {size}"
ADAPTIVE_EMPTY = ("adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch "
                  "dimensions, but input has sizes {size} with dimension {dim} being empty")
POOL_MODULE_OUTPUT_SIZE = "output_size must have {n} elements"

# padding modes (issue 4): _pad_enum, _pad_circular, reflection/replication pad checks
PAD_MODE_VALUE = "Padding mode \"{mode}\" doesn't take in value argument"
PAD_SIZE_UNSUPPORTED = ("Padding size {n} is not supported for {dim}D input tensor.\n"
                        "Supported combinations for non-constant padding:\n"
                        "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
                        "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
                        "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
PAD_VALID_INPUT = ("Expected {a}D or {b}D (batch mode) tensor with possibly 0 batch size and other "
                   "non-zero dimensions for input, but got: {size}")
PAD_REFLECT_SIZE = ("Argument #{arg}: Padding size should be less than the corresponding input "
                    "dimension, but got: padding ({lo}, {hi}) at dimension {dim} of input {size}")
PAD_TOO_SMALL_1D = "input (W: {w}) is too small. Calculated output W: {ow}"
PAD_REFLECT_TOO_SMALL_2D = "input (H: {h}, W: {w}) is too small. Calculated output H: {oh} W: {ow}"
PAD_REPLICATE_TOO_SMALL_2D = "input (H: {h}, W: {w} ) is too small. Calculated output H: {oh} W: {ow}"
PAD_TOO_SMALL_3D = ("input (D: {d} H: {h}, W: {w}) is too small. Calculated output D: {od} H: {oh} "
                    "W: {ow}")
PAD_CIRCULAR_SIZE = ("Invalid padding size, expected 1 or 2 non-padded dimensions, which would be "
                     "equivalent to padding of length {a} or {b} respectively but got {got}")
PAD_CIRCULAR_WRAP = "Padding value causes wrapping around more than once."
PAD_CIRCULAR_EMPTY = "Negative padding value is resulting in an empty dimension"

# interpolation (issue 4): F.interpolate, compute_output_size, upsample_*_common_check
UPSAMPLE_SIZES = ("Input and output sizes should be greater than 0, but got input ({input}) output "
                  "({output})")
UPSAMPLE_EXACTLY_ONE = "Must specify exactly one of output_size and scale_factors"
INTERPOLATE_ALIGN_CORNERS = ("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
INTERPOLATE_BOTH = "only one of size or scale_factor should be defined"
INTERPOLATE_SIZE_DIMS = ("Input and output must have the same number of spatial dimensions, but got "
                         "input with spatial dimensions of {spatial} and output size of {size}. Please "
                         "provide input tensor in (N, C, d1, d2, ...,dK) format and output size in "
                         "(o1, o2, ...,oK) format.")
INTERPOLATE_SIZE_TYPES = ("expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                          "Tuple[int, int, int], but got size with types {types}")
INTERPOLATE_SCALE_DIMS = ("Input and scale_factor must have the same number of spatial dimensions, but "
                          "got input with spatial dimensions of {spatial} and scale_factor of shape "
                          "{scale}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                          "scale_factor in (s1, s2, ...,sK) format.")
INTERPOLATE_NEITHER = "either size or scale_factor should be defined"
INTERPOLATE_RECOMPUTE = "recompute_scale_factor is not meaningful with an explicit size."
INTERPOLATE_ANTIALIAS = ("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and "
                         "requires a 4-D tensor as input")
INTERPOLATE_INPUT = ("Input Error: Only 3D, 4D and 5D input Tensors supported (got {dim}D) for the "
                     "modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | "
                     "nearest-exact (got {mode})")
INTERPOLATE_MODE_UNSUPPORTED = "numtorch: F.interpolate mode '{mode}' is not implemented yet"

# normalisation layers (issue 4): F.batch_norm / group_norm / instance_norm, at::batch_norm checks
BATCH_NORM_ONE_VALUE = "Expected more than 1 value per channel when training, got input size {size}"
BATCH_NORM_EPS_TRAINING = "batch_norm eps must be positive during training, but got {eps}"
BATCH_NORM_EPS = "batch_norm eps must be non-negative, but got {eps}"
BATCH_NORM_FEATURES = "{name} should contain {expected} elements not {got}"
BATCH_NORM_EVAL_STATS = "{name} must be defined in evaluation mode"
BATCH_NORM_MIXED_FLOAT = "mixed dtype (CPU): expect parameter to have scalar type of Float"
BATCH_NORM_MIXED_SAME = "mixed dtype (CPU): all inputs must share same datatype."
BATCH_NORM_MODULE_DIM = "expected {expected} input (got {d}D input)"
INSTANCE_NORM_ONE_VALUE = "Expected more than 1 spatial element when training, got input size {size}"
INSTANCE_NORM_STATS = ("Expected running_mean and running_var to be defined when use_input_stats is "
                       "false")
GROUP_NORM_DIMS = "Expected at least 2 dimensions for input tensor but received {d}"
GROUP_NORM_DIVISIBLE = ("Expected number of channels in input to be divisible by num_groups, but got "
                        "input of shape {size} and num_groups={groups}")
GROUP_NORM_AFFINE = ("Expected {name} to be a vector of size equal to the number of channels in input, "
                     "but got {name} of shape {got} and input of shape {size}")
GROUP_NORM_MODULE = "num_channels ({c}) must be divisible by num_groups ({g})"
W_NESTED_PROTOTYPE = ("The PyTorch API of nested tensors is in prototype stage and will change in the near "
                      "future. We recommend specifying layout=torch.jagged when constructing a nested "
                      "tensor, as this layout receives active development, has better operator coverage, "
                      "and works with torch.compile.")
W_LSTM_PROJ_ONEDNN = "LSTM with projections is not supported with oneDNN. Using default implementation."
INSTANCE_NORM_FEATURES = ("expected input's size at dim={dim} to match num_features ({n}), but got: "
                          "{got}.")
W_INSTANCE_NORM_FEATURES = ("input's size at dim={dim} does not match num_features. You can silence "
                            "this warning by not passing in num_features, which is not used because "
                            "affine=False")
ADAPTIVE_BACKWARD_EMPTY = ("adaptive_avg_pool2d_backward(): Expected grad_output to have non-zero size for "
                           "non-batch dimensions, but grad_output has sizes {size} with dimension {dim} "
                           "being empty")
W_UPSAMPLE_DEPRECATED = "`nn.functional.{name}` is deprecated. Use `nn.functional.interpolate` instead."

# ---- legacy typed constructors and the absent accelerators (torch.LongTensor, torch.cuda) ------
_OPTIONS = ("TensorOptions(dtype={}, device=cpu, layout=Strided, requires_grad=false (default), "
            "pinned_memory=false (default), memory_format=(nullopt))")
LEGACY_TYPE_MISMATCH = ("expected " + _OPTIONS.format("{want}") + " (got " + _OPTIONS.format("{got}")
                        + ")")
NO_CUDA = "Torch not compiled with CUDA enabled"
DEVICE_INDEX_NEGATIVE = "Device index must not be negative"
TO_OVERLOADS = (
    " * (torch.device device = None, torch.dtype dtype = None, bool non_blocking = False, bool copy = "
    "False, *, torch.memory_format memory_format = None)\n"
    " * (torch.dtype dtype, bool non_blocking = False, bool copy = False, *, torch.memory_format "
    "memory_format = None)\n"
    " * (Tensor tensor, bool non_blocking = False, bool copy = False, *, torch.memory_format "
    "memory_format = None)\n")
STORE_REAL_NUMBER = "must be real number, not {type}"
STORE_INTEGER = "'{type}' object cannot be interpreted as an integer"
RANDINT_LIKE_HIGH = "high must be a scalar tensor and on CPU"

# ---- nn.Module backward hooks (torch/nn/modules/module.py, torch/utils/hooks.py) ----------------
W_GLOBAL_ALWAYS_CALL_HOOK = ("global module forward hook with ``always_call=True`` raised an exception "
                             "that was silenced as another error was raised in forward: {error}")
MIXED_BACKWARD_HOOKS = ("Cannot use both regular backward hooks and full backward hooks on a single "
                        "Module. Please use only one of them.")
MIXED_GLOBAL_BACKWARD_HOOKS = ("Cannot use both regular backward hooks and full backward hooks as a "
                               "global Module hook. Please use only one of them.")
W_BACKWARD_HOOK_OUTPUT = ("For backward hooks to be called, module output should be a Tensor or a tuple "
                          "of Tensors but received {type}")
BACKWARD_HOOK_NO_INPUTS = "Cannot set Module backward hook for a Module with no input Tensors."
BACKWARD_HOOK_SETUP = ("Error while setting up backward hooks. Please open an issue with a code sample "
                       "to reproduce this.")
BACKWARD_HOOK_GRAD_INPUT_COUNT = ("Backward hook returned an invalid number of grad_input, got {got}, but "
                                  "expected {expected}")
BACKWARD_PRE_HOOK_GRAD_OUTPUT_COUNT = ("Backward pre hook returned an invalid number of grad_output, got "
                                       "{got}, but expected {expected}")
W_FULL_HOOK_NO_INPUT_GRAD = ("Full backward hook is firing when gradients are computed with respect to "
                             "module outputs since no inputs require gradients. See "
                             "https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html"
                             "#torch.nn.Module.register_full_backward_hook for more details.")
BACKWARD_HOOK_NO_INPUT_GRAD_RESULT = ("Backward hook for Modules where no input requires gradient should "
                                      "always return None or None for all gradients.")
DEAD_MODULE_HOOK = "You are trying to call the hook of a dead Module!"
DEAD_MODULE_REVIVE = "You are trying to revive the hook of a dead Module!"
W_NON_FULL_HOOK_OUTPUTS = ("Using non-full backward hooks on a Module that does not return a single Tensor "
                           "or a tuple of Tensors is deprecated and will be removed in future versions. "
                           "This hook will be missing some of the grad_output. Please use "
                           "register_full_backward_hook to get the documented behavior.")
W_NON_FULL_HOOK_INPUTS = ("Using non-full backward hooks on a Module that does not take as input a single "
                          "Tensor or a tuple of Tensors is deprecated and will be removed in future "
                          "versions. This hook will be missing some of the grad_input. Please use "
                          "register_full_backward_hook to get the documented behavior.")
W_NON_FULL_HOOK_NESTED = ("Using a non-full backward hook when outputs are nested in python data structure "
                          "is deprecated and will be removed in future versions. This hook will be "
                          "missing some grad_output.")
W_NON_FULL_HOOK_MULTI_NODE_OUT = ("Using a non-full backward hook when outputs are generated by different "
                                  "autograd Nodes is deprecated and will be removed in future versions. "
                                  "This hook will be missing some grad_output. Please use "
                                  "register_full_backward_hook to get the documented behavior.")
W_NON_FULL_HOOK_MULTI_NODE = ("Using a non-full backward hook when the forward contains multiple autograd "
                              "Nodes is deprecated and will be removed in future versions. This hook will "
                              "be missing some grad_input. Please use register_full_backward_hook to get "
                              "the documented behavior.")
# a Node post-hook's result (torch/csrc/autograd/python_hook.cpp check_result)
POST_HOOK_NOT_TUPLE = "expected tuple, but hook returned '{type}'"
POST_HOOK_COUNT = ("hook '{name}' has returned an incorrect number of values (got {got}, but expected "
                   "{expected})")
POST_HOOK_NONE_REPLACED = "can't replace a None gradient with a non-None value"
HOOK_TYPE_CHANGED = "hook '{name}' has changed the type of value (was {was} got {got})"

# ---- issue 4, nn additions: prelu, celu, shrinks, glu, rrelu, bilinear, distances, kl_div, losses ----
PRELU_DTYPE = "prelu: Type promoting not supported. Got {a} and {b}"
PRELU_ZERO_DIM = "Not allow zero-dim input tensor."
PRELU_CHANNELS = ("Mismatch of parameter numbers and input channel size. Found parameter numbers = {n} and "
                  "channel size = {c}.")
PRELU_WEIGHT_DIM = "prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {ndim}"
CELU_ALPHA = "ZeroDivisionError: alpha cannot be 0 for CELU"
SOFTSHRINK_LAMBDA = "lambda must be in range [0, {max}] for input dtype {dtype}, but found {lambd}"
GLU_SCALAR = "glu does not support scalars because halving size must be even"
GLU_HALVING = "Halving dimension must be even, but dimension {dim} is size {size}"
RRELU_BOUNDS = "Lower bound should be less than or equal to the upper bound"
DIM_NO_DIMS = "Dimension specified as {dim} but tensor has no dimensions"
BILINEAR_DTYPE = "All tensors must have the same dtype, got input1: {a}, input2: {b}, weight: {w}{bias}"
BILINEAR_DIMS = "bilinear(): input dimensions do not match: got {a} and {b}"
BILINEAR_BATCH = "bilinear(): input batch dimensions do not match at dim {dim}: got {a} and {b}"
BILINEAR_SIZE = "bilinear(): {name} size does not match weight size: got {got} but expected {expected}"
TRILINEAR_DIMS = "number of dimensions must match"
BILINEAR_IN1_FEATURES = "in1_features must be > 0, but got (in1_features={n})"
COSINE_DTYPE = "expected common dtype to be floating point, yet common dtype is {dtype}"
KL_COMPLEX = "kl_div: Complex inputs not supported."
KL_INTEGRAL = "kl_div: Integral inputs not supported."
W_KL_DIV_MEAN = ("reduction: 'mean' divides the total loss by both the batch size and the support size."
                 "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                 "'mean' will be changed to behave the same as 'batchmean' in the next major release.")
COSINE_EMB_TARGET = "0D or 1D target tensor expected, multi-target not supported"
COSINE_EMB_INPUTS = "{t}D target tensor expects {i}D input tensors, but found inputs with sizes {a} and {b}."
MARGIN_RANKING_DIMS = ("margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                       "input1: {a}, input2: {b}, target: {t} ")
REDUCTION_NOT_VALID = "{reduction} is not valid"
GAUSSIAN_VAR_NEGATIVE = "var has negative entry/entries"
GAUSSIAN_VAR_SIZE = "var is of incorrect size"
TRIPLET_MARGIN = "margin must be greater than 0, got {margin}"
TRIPLET_MARGIN_MODULE = "TripletMarginLoss: expected margin to be greater than 0, got {margin} instead"
TRIPLET_DIMS = ("The anchor, positive, and negative tensors are expected to have the same number of "
                "dimensions, but got: anchor {a}D, positive {p}D, and negative {n}D inputs")

# ---- issue 4, misc ops: hsplit/vsplit/dsplit, scatter_reduce, index_copy/index_fill, masked_scatter --
DIM_SPLIT_MIN_DIMS = ("torch.{name} requires a tensor with at least {min} dimension, but got a tensor with "
                      "{got} dimensions!")
DIM_SPLIT_DIVISIBLE = ("torch.{name} attempted to split along dimension {dim}, but the size of the dimension "
                       "{size} is not divisible by the split_size {split}!")

# linalg ops (issue 4): einsum, tensordot, addmm/addmv/baddbmm/addbmm, torch.linalg norms
SCALAR_TYPE_MISMATCH = "expected scalar type {expected} but found {found}"
ADDMM_MAT_DTYPE = "mat1 and mat2 must have the same dtype, but got {a} and {b}"
ADDMM_MATRIX = "{name} must be a matrix, got {d}-D tensor"
ADDMV_DTYPE = "addmv input tensors must have the same dtype, but got {a}, {b}, and {c}"
ADDMV_DIMS = "vector + matrix @ vector expected, got {a}, {b}, {c}"
ADDMV_SIZE = "size mismatch, got input ({n}), mat ({m0}x{m1}), vec ({v})"
BAD_INPLACE = "Bad in-place call: input tensor size {input} and output tensor size {output} should match"
EXPAND_FEWER_SIZES = ("expand({type}{{{shape}}}, size={sizes}): the number of sizes provided ({n}) must be "
                      "greater or equal to the number of dimensions in the tensor ({d})")
BADDBMM_DTYPE = "Input dtypes must be the same, got: input {a}, batch1: {b}, batch2: {c}"
BATCH_3D = "{name} must be a 3D tensor"
BADDBMM_BATCH2 = ("Expected size for first two dimensions of batch2 tensor to be: [{bs}, {k}] but got: "
                  "[{b0}, {b1}].")
ADDBMM_BATCHES = "batch1 and batch2 must have same number of batches, got {a} and {b}"
ADDBMM_SIZES = "Incompatible matrix sizes for bmm ({a1}x{a2} and {b1}x{b2})"
EINSUM_NO_ARGS = ("einsum(): must specify the equation string and at least one operand, or at least one "
                  "operand and its subscripts list")
EINSUM_SUBLIST_RANGE = "einsum(): subscript in subscript list is not within the valid range [0, 52)"
EINSUM_EQUATION_TYPE = "einsum(): argument 'equation' (position 1) must be str, not {type}"
EINSUM_OPERAND_TYPE = "expected Tensor as element {index} in argument 1, but got {type}"
EINSUM_ELLIPSIS_TWICE = "einsum(): found '.' for operand {op} for which an ellipsis was already found"
EINSUM_BAD_ELLIPSIS = "einsum(): found '.' for operand {op} that is not part of any ellipsis"
EINSUM_INVALID_SUBSCRIPT = ("einsum(): invalid subscript given at index {index} in the equation string, "
                            "subscripts must be in [a-zA-Z]")
EINSUM_FEWER_OPERANDS = "einsum(): fewer operands were provided than specified in the equation"
EINSUM_MORE_OPERANDS = "einsum(): more operands were provided than specified in the equation"
EINSUM_NUM_SUBSCRIPTS = ("einsum(): the number of subscripts in the equation ({n}) does not match the number "
                         "of dimensions ({d}) for operand {op} and no ellipsis was given")
EINSUM_TOO_MANY_SUBSCRIPTS = ("einsum(): the number of subscripts in the equation ({n}) is more than the "
                              "number of dimensions ({d}) for operand {op}")
EINSUM_OUTPUT_ELLIPSIS_TWICE = "einsum(): found '.' for output but an ellipsis (...) was already found"
EINSUM_OUTPUT_BAD_ELLIPSIS = "einsum(): found '.' for output that is not part of any ellipsis (...)"
EINSUM_OUTPUT_REPEATED = "einsum(): output subscript {label} appears more than once in the output"
EINSUM_OUTPUT_UNKNOWN = "einsum(): output subscript {label} does not appear in the equation for any input operand"
EINSUM_ELLIPSIS_BROADCAST = ("einsum(): dimension {dim} covered by ellipsis in operand {op}has size {size} which "
                             "does not broadcast with previously seen ellipsis with size {prev} for the "
                             "respective dimension")
EINSUM_SUBSCRIPT_BROADCAST = ("einsum(): subscript {label} has size {size} for operand {op} which does not "
                              "broadcast with previously seen size {prev}")
EINSUM_REPEATED_SIZES = ("einsum(): subscript {label} is repeated for operand {op} but the sizes don't match, "
                         "{a} != {b}")
SUMPRODUCT_DIMS = "non-broadcast dimensions must match"
TENSORDOT_DIMS_TYPE = ("tensordot expects dims to be int or tuple[list[int], list[int]] or list[list[int]] "
                       "containing two lists, but got dims={dims}")
TENSORDOT_DIMS_NEGATIVE = "tensordot expects dims >= 0, but got dims={dims}"
TENSORDOT_DIMS_LARGE = "tensordot expects dims < ndim_a or ndim_b, but got dims={dims}"
TENSORDOT_DIMS_TENSOR = "dims tensor must have size 2 in first dimension, got {n}"
TENSORDOT_DIMS_LIST = "tensordot(): argument '{name}' (position {pos}) must be tuple of ints, not {type}"
TENSORDOT_LENGTHS = "both dimension lists should have same length"
TENSORDOT_DTYPE = "both inputs should have same dtype"
TENSORDOT_SIZES = ("contracted dimensions need to match, but first has size {s1} in dim {d1} and second has "
                   "size {s2} in dim {d2}")
DIM_REPEATED = "dim {dim} appears multiple times in the list of dims"
LINALG_NOT_FLOATING = "{fn}: Expected a floating point or complex tensor as input. Got {dtype}"
LINALG_LOW_PRECISION = "{fn}: Low precision dtypes not supported. Got {dtype}"
LINALG_NORM_DTYPE = "{fn}: dtype should be floating point or complex, but got {dtype}"
LINALG_NORM_DTYPE_KIND = "{fn}: dtype should be {kind} for {kind} inputs, but got {dtype}"
LINALG_NORM_NARROWING = ("{fn}: the dtype of the input ({input}) should be convertible without narrowing to the "
                         "specified dtype ({dtype})")
VECTOR_NORM_ORD_TYPE = "linalg_vector_norm(): argument 'ord'{position} must be Number, not {type}"
VECTOR_NORM_EMPTY = ("linalg.vector_norm cannot compute the {ord} norm on an empty tensor because the "
                     "operation does not have an identity")
VECTOR_NORM_EMPTY_DIM = ("linalg.vector_norm cannot compute the {ord} norm on the dimension {dim}because this "
                         "dimension is empty and the operation does not have an identity")
MATRIX_NORM_ORDER = "linalg.matrix_norm: Order {ord} not supported."
MATRIX_NORM_NDIM = "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."
MATRIX_NORM_DIM_TUPLE = "linalg.matrix_norm: dim must be a 2-tuple. Got {dims}"
MATRIX_NORM_DIMS_DIFFERENT = "linalg.matrix_norm: dims must be different. Got ({a}, {b})"
LINALG_NORM_DIM_LENGTH = "linalg.norm: If dim is specified, it must be of length 1 or 2. Got {dims}"
LINALG_NORM_INPUT_DIMS = ("linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                          "Got {d}D.")
NORM_COMPLEX_ORD = "{fn}: Expected a non-complex scalar as the order of norm."
NORM_NOT_A_TENSOR = "'{type}' object has no attribute 'layout'"  # AttributeError (torch.norm reads it)
# the bindings' signature lines in their parser's "invalid combination of arguments" error
MATRIX_NORM_SIGNATURES = (
    " * (Tensor input, Number ord, tuple of ints dim = {-2,-1}, bool keepdim = False, *, torch.dtype dtype = "
    "None, Tensor out = None)\n"
    " * (Tensor input, str ord = \"fro\", tuple of ints dim = {-2,-1}, bool keepdim = False, *, torch.dtype "
    "dtype = None, Tensor out = None)\n")
LINALG_NORM_SIGNATURES = (
    " * (Tensor input, Number ord = None, tuple of ints dim = None, bool keepdim = False, *, torch.dtype dtype "
    "= None, Tensor out = None)\n"
    " * (Tensor input, str ord, tuple of ints dim = None, bool keepdim = False, *, torch.dtype dtype = None, "
    "Tensor out = None)\n")
SVD_NOT_FINITE = ("linalg.svd: The algorithm failed to converge because the input matrix contained "
                  "non-finite values.")
SVD_NO_CONVERGENCE = ("linalg.svd: The algorithm failed to converge because the input matrix is "
                      "ill-conditioned or has too many repeated singular values (error code: {info}).")
# issue 4, misc ops (continued): scatter(reduce=), scatter_reduce, index_copy/index_fill, masked_scatter
SCATTER_LEGACY_REDUCE = "reduce argument must be either add or multiply."
W_SCATTER_REDUCE_DEPRECATED = ("The reduce argument of torch.scatter with Tensor src is deprecated and will be "
                               "removed in a future PyTorch release. Use torch.scatter_reduce instead for more "
                               "reduction options.")
SCATTER_REDUCE_ARG = "reduce argument must be either sum, prod, mean, amax or amin, got {reduce}"
SCATTER_REDUCE_PROD_DOUBLE_BACKWARD = ("scatter_reduce(): Double backward is unsupported for src when >1 zeros in "
                                       "src are scattered to the same position in self")
ARG_MUST_BE_BOOL = "{fname}(): argument '{argname}' must be bool, not {type}"
INDEX_COPY_INDEX_DIM = "index_copy_(): Index should have dimension 1 or 0 (got {dim})"
INDEX_COPY_SCALAR_SOURCE = "index_copy_(): When source is scalar, index should have one element (got {count})"
INDEX_COPY_DIMS = ("index_copy_(): When source and destination are not scalars, their dimensionality must match. "
                   "Source dimensionality ({source}), destination dimensionality ({self})")
INDEX_COPY_INDEX_DTYPE = "index_copy_(): Expected a long tensor for index, but got {dtype}"
INDEX_COPY_DTYPES = ("index_copy_(): self and source expected to have the same dtype, but got (self) {self} and "
                     "(source) {source}")
INDEX_COPY_SLICES = ("index_copy_(): Source/destination tensor must have same slice shapes. Destination slice "
                     "shape: {self} at dimension {dim} and source slice shape: {source} at dimension 0.")
INDEX_COPY_COUNT = "index_copy_(): Number of indices ({count}) should be equal to source.size(dim) ({size})"
INDEX_COPY_BOUNDS = "index_copy_(): index {index} is out of bounds for dimension {dim} with size {size}"
INDEX_FILL_INDEX_DTYPE = "index_fill_(): Expected dtype int64 for index."
INDEX_FILL_INDEX_DIM = "Index has to be a vector/scalar"
INDEX_FILL_BOUNDS = "index {index} is out of bounds for dimension {dim} with size {size}"
INDEX_FILL_VALUE_DIM = ("index_fill_ only supports a 0-dimensional value tensor, but got tensor with {dim} "
                        "dimension(s).")
MASKED_SCATTER_DTYPES = "masked_scatter: expected self and source to have same dtypes but got{self} and {source}"
MASKED_SCATTER_MASK_DTYPE = "masked_scatter_ only supports boolean masks, but got mask with dtype {dtype}"
MASKED_SCATTER_SOURCE_SIZE = "Number of elements of source < number of ones in mask"
SCATTER_REDUCE_BACKWARD_ARG = ("Expected 'reduce' to be one of 'sum', 'prod', 'mean', 'amax', 'amin' but got "
                               "{reduce}.")
SET_NUM_THREADS_TYPE = "set_num_threads expects an int, but got {type}"
SET_NUM_THREADS_POSITIVE = "set_num_threads expects a positive integer"
INDEX_FILL_COMPLEX = "index_fill_(): Converting complex Scalar to non-complex type is not supported"
W_INDEX_FILL_EXPANDED = ("Use of index_fill_ on expanded tensors is deprecated. Please clone() the tensor "
                         "before performing this operation. This also applies to advanced indexing e.g. "
                         "tensor[mask] = scalar")

# ---- torch.testing (issue 4): assert_close / make_tensor (torch/testing/_comparison.py, _creation.py) ----
CLOSE_FAILED_ITEM = "\n\nThe failure occurred for item {item}"
CLOSE_TOLERANCE_PAIR = "Both 'rtol' and 'atol' must be either specified or omitted, but got no {missing}."
CLOSE_NONE = "None mismatch: {actual} is not {expected}"
CLOSE_BOOLEANS = "Booleans mismatch: {actual} is not {expected}"
CLOSE_NUMBER_TYPES = "The (d)types do not match: {actual} != {expected}."
CLOSE_ATTRIBUTE = "The values for attribute '{name}' do not match: {actual} != {expected}."
CLOSE_SEQUENCE_LENGTH = "The length of the sequences mismatch: {actual} != {expected}"
CLOSE_MAPPING_KEYS = ("The keys of the mappings do not match:\nMissing keys in the actual mapping: {missing}\n"
                      "Additional keys in the actual mapping: {additional}")
CLOSE_NO_PAIR = "No comparison pair was able to handle inputs of type {actual} and {expected}."
W_ASSERT_ALLCLOSE_DEPRECATED = (
    "`torch.testing.assert_allclose()` is deprecated since 1.12 and will be removed in a future release. "
    "Please use `torch.testing.assert_close()` instead. You can find detailed upgrade instructions in "
    "https://github.com/pytorch/pytorch/issues/61844.")
MAKE_TENSOR_NAN_BOUNDS = "`low` and `high` cannot be NaN, but got low={low} and high={high}"
W_MAKE_TENSOR_LOW_EQ_HIGH = ("Passing `low==high` to `torch.testing.make_tensor` for floating or complex types is "
                             "deprecated since 2.1 and will be removed in 2.3. Use `torch.full(...)` instead.")
MAKE_TENSOR_LOW_GE_HIGH = "`low` must be less than `high`, but got {low} >= {high}"
MAKE_TENSOR_INTERVAL = ("The value interval specified by `low` and `high` is [{low}, {high}), but {dtype} only "
                        "supports [{lowest}, {highest})")
MAKE_TENSOR_NONCONTIG_FORMAT = ("The parameters `noncontiguous` and `memory_format` are mutually exclusive, but "
                                "got noncontiguous={noncontiguous} and memory_format={memory_format}")
MAKE_TENSOR_GRAD_INT = ("`requires_grad=True` is not supported for boolean and integral dtypes, but got "
                        "dtype={dtype}")
MAKE_TENSOR_DTYPE = ("The requested dtype '{dtype}' is not supported by torch.testing.make_tensor(). To request "
                     "support, file an issue at: https://github.com/pytorch/pytorch/issues")
INDEX_SELECT_SCALAR = "index_select(): Index to scalar can have only 1 value, got {count} value(s)"
TAKE_INDEX_DTYPE = "take(): Expected a long tensor for index, but got {dtype}"
TAKE_EMPTY = "take(): tried to take from an empty tensor"
TAKE_OUT_OF_RANGE = "out of range: tried to access index {index} on a tensor of {numel} elements."
PUT_INDEX_DTYPE = "put_(): Expected a long tensor for index, but got {dtype}"
PUT_NUMEL = ("put_(): Expected source and index to have the same number of elements, but got "
             "source.numel() = {source}, index.numel() = {index}")

# ---- numtorch's write guard and graph-lifetime warnings (issue 7, items 2 and 5): numtorch's own
# texts, used only while anomaly mode, numtorch.autograd.guard_writes() or warn_graph_lifetime() is on ----
GUARD_WRITE = ("{op}() at {filename}:{line} writes in place to memory that {node} saved for backward in "
               "the forward call at {saved}, through {alias}. The write bypasses the saved tensor's "
               "version counter: backward would silently compute a wrong gradient.")
GUARD_UNPACK = ("a tensor saved for backward by {node} was modified by a write that bypassed the version "
                "counter (.data, .numpy() or a NumPy alias): its values differ from those it had when it "
                "was saved, although its version is still {version}. Backward would have computed a "
                "wrong gradient silently.")
GUARD_HINT = ("numtorch: found by the write guard (anomaly mode or numtorch.autograd.guard_writes()). "
              "Write to a copy (x.detach().clone()), or before the forward pass / after backward, or "
              "write through x.detach() instead of x.data so that the version check sees the write.")
W_GRAPH_GROWS = ("{op}() at {filename}:{line} extends a graph that a backward() already ran through, and "
                 "that graph was built in an earlier iteration: it grows at every iteration and keeps all "
                 "their graphs alive (the `total_loss += loss` pattern). Accumulate `loss.item()` (a Python "
                 "number) or `loss.detach()` instead.")
W_GRAPH_DEEP = ("{op}() at {filename}:{line} made the autograd graph {depth} nodes deep. If a value is "
                "accumulated across iterations (`total += loss` in a loop without backward), accumulate "
                "`loss.item()` or `loss.detach()`, or compute it under torch.no_grad(). If the graph is "
                "meant to be this deep, raise the threshold: "
                "numtorch.autograd.warn_graph_lifetime(max_depth=...).")
W_GRAD_CYCLE = ("{op}(create_graph=True) at {filename}:{line} left a reference cycle: the .grad of {leaves} "
                "has a graph that reaches that tensor's own AccumulateGrad node, so the tensor, its .grad "
                "and the graph keep each other alive until Python's cycle collector runs. Use "
                "torch.autograd.grad(...) for higher-order gradients, or reset `.grad = None` once the "
                "gradient has been used.")
MISSING_POSITIONAL_ARG = "{fn}() missing 1 required positional arguments: \"{arg}\""
ARG_MUST_BE_INT = "{fn}(): argument '{arg}' (position {position}) must be int, not {type}"
# optim: Adamax, NAdam, RAdam, Adadelta, Rprop, ASGD, LBFGS, SparseAdam
INVALID_MOMENTUM_DECAY = "Invalid momentum_decay value: {value}"
INVALID_RHO = "Invalid rho value: {value}"
INVALID_ETAS = "Invalid eta values: {eta0}, {eta1}"
CAPTURABLE_DEVICES_NO_XLA = ("If capturable=True, params and state_steps must be on supported devices: "
                             "['cuda', 'xpu', 'hpu', 'privateuseone'].")
CAPTURABLE_DEVICES_NADAM = ("If capturable=True, params, mu_products and state_steps must be on supported "
                            "devices: ['cuda', 'xpu', 'hpu', 'privateuseone', 'xla'].")
CAPTURABLE_DEVICES_ASGD = ("If capturable=True, params, mus, etas, and state_steps must be on supported "
                           "devices: ['cuda', 'xpu', 'hpu', 'privateuseone', 'xla'].")
LBFGS_PARAM_GROUPS = "LBFGS doesn't support per-parameter options (parameter groups)"
LBFGS_LINE_SEARCH = "only 'strong_wolfe' is supported"
SPARSE_ADAM_DENSE_GRAD = "SparseAdam does not support dense gradients, please consider Adam instead"
SPARSE_ADAM_SPARSE_PARAMS = "Sparse params at indices {indices}: SparseAdam requires dense parameter tensors"
SPARSE_ADAM_COMPLEX_PARAMS = ("Complex params at indices {indices}: SparseAdam does not support complex "
                              "parameters")

# ---- nn breadth: RMSNorm, Softmax2d, pixel/channel shuffle, fold/unfold, 3-d and adaptive max pooling,
# LocalResponseNorm (torch 2.13's texts, some differing from the C++ source of other versions) ----
RMS_NORM_SHAPE_EMPTY = ("Expected normalized_shape to be at least 1-dimensional, i.e., containing "
                        "at least one element, but got normalized_shape = {shape}")
RMS_NORM_WEIGHT = ("Expected weight to be of same shape as normalized_shape, but got weight of "
                   "shape {got} and normalized_shape = {shape}")
RMS_NORM_INPUT_DIMS = "Input tensor must have at least {n} dimensions, but got {d}"
RMS_NORM_INPUT = ("Given normalized_shape={shape}, expected input with shape [*{tail}], but got "
                  "input of size{size}")
W_RMS_NORM_DTYPE = ("Mismatch dtype between input and weight: input dtype = {input}, weight dtype "
                    "= {weight}, Cannot dispatch to fused implementation.")
RMS_NORM_SHAPE_TYPE = "rms_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not {type}"
SOFTMAX2D_DIMS = "Softmax2d: expected input to be 3D or 4D, got {d}D instead"
PIXEL_SHUFFLE_DIMS = ("pixel_{kind} expects input to have at least 3 dimensions, but got input "
                      "with {d} dimension(s)")
PIXEL_SHUFFLE_FACTOR = "pixel_shuffle expects a positive upscale_factor, but got {r}"
PIXEL_UNSHUFFLE_FACTOR = "pixel_unshuffle expects a positive downscale_factor, but got {r}"
PIXEL_SHUFFLE_CHANNELS = ("pixel_shuffle expects its input's 'channel' dimension to be divisible "
                          "by the square of upscale_factor, but input.size(-3)={c} is not "
                          "divisible by {r2}")
PIXEL_UNSHUFFLE_SIZE = ("pixel_unshuffle expects {name} to be divisible by downscale_factor, but "
                        "input.size({dim})={size} is not divisible by {r}")
CHANNEL_SHUFFLE_DIMS = "channel_shuffle expects input with > 2 dims, but got input with sizes {size}"
CHANNEL_SHUFFLE_GROUPS = "Number of groups to divide channels in must be positive. Value of groups:{groups}"
CHANNEL_SHUFFLE_DIVISIBLE = ("Number of channels must be divisible by groups. Got {c} channels and "
                             "{groups} groups.")
IM2COL_ARG_LENGTH = "It is expected {name} equals to 2, but got size {got}"
IM2COL_KERNEL = "kernel size should be greater than zero, but got kernel_height: {h} kernel_width: {w}"
IM2COL_STRIDE = "stride should be greater than zero, but got stride_height: {h} stride_width: {w}"
IM2COL_DILATION = "dilation should be greater than zero, but got dilation_height: {h} dilation_width: {w}"
IM2COL_PADDING = "padding should be non-negative, but got pad_height: {h} pad_width: {w}"
IM2COL_INPUT = ("Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other "
                "non-zero dimensions for input, but got: {size}")
IM2COL_BLOCKS = ("Given input with spatial size ({h}, {w}), kernel_size=({kh}, {kw}), "
                 "dilation=({dh}, {dw}), padding=({ph}, {pw}), calculated shape of the array of "
                 "sliding blocks as ({oh}, {ow}), but its components must be at least one.")
COL2IM_INPUT = ("Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero "
                "dimensions for input, but got: {size}")
COL2IM_DIVISIBLE = ("Expected size of input's dimension 1 to be divisible by the product of "
                    "kernel_size, but got input.size(1)={c} and kernel_size=({kh}, {kw}).")
COL2IM_GEOMETRY = ("Given output_size=({h}, {w}), kernel_size=({kh}, {kw}), dilation=({dh}, {dw}), "
                   "padding=({ph}, {pw}), stride=({sh}, {sw}), ")
COL2IM_BLOCKS = ("expected size of input's dimension 2 to match the calculated number of sliding blocks "
                 "{bh} * {bw} = {blocks}, but got input.size(2)={length}.")
COL2IM_SMALL = ("calculated shape of the array of sliding blocks as ({bh}, {bw}), which is too "
                "small (non-positive)")
COL2IM_OUTPUT = "Expected output spatial size to be positive, but got: output_size=({h}, {w})."
MAX_POOL3D_KERNEL = "max_pool3d: kernel_size must either be a single int, or a tuple of three ints"
MAX_POOL3D_STRIDE = "max_pool3d: stride must either be omitted, a single int, or a tuple of three ints"
MAX_POOL3D_PADDING = "max_pool3d: padding must either be a single int, or a tuple of three ints"
MAX_POOL3D_DILATION = "max_pool3d: dilation must be either a single int, or a tuple of three ints"
POOL3D_RANK = "non-empty 4D or 5D (batch mode) tensor expected for input"
AVG_POOL3D_KERNEL = "avg_pool3d: kernel_size must be a single int, or a tuple of three ints"
AVG_POOL3D_STRIDE = "avg_pool3d: stride must be omitted, a single int, or a tuple of three ints"
AVG_POOL3D_PADDING = "avg_pool3d: padding must be a single int, or a tuple of three ints"
POOL3D_KERNEL_POSITIVE = "kernel size should be greater than zero, but got kT: {kt} kH: {kh} kW: {kw}"
POOL3D_STRIDE_POSITIVE = "stride should be greater than zero, but got dT: {st} dH: {sh} dW: {sw}"
POOL3D_DILATION_POSITIVE = ("dilation should be greater than zero, but got dilationT: {dt} dilationH: {dh} "
                            "dilationW: {dw}")
POOL3D_INPUT_RANK = "{fn}: Expected 4D or 5D tensor for input, but got: {size}"
POOL3D_INPUT_EMPTY = ("{fn}: Expected input's non-batch dimensions to have positive length, but "
                      "input has a shape of {size} and non-batch dimension {length} has length "
                      "zero!")
POOL3D_INPUT_SMALL = ("input image (T: {t} H: {h} W: {w}) smaller than kernel size (kT: {kt} kH: "
                      "{kh} kW: {kw})")
POOL3D_PAD = ("pad should be smaller than or equal to half of kernel size, but got kT: {kt} kW: "
              "{kw} kH: {kh} padT: {pt} padW: {pw} padH: {ph}")
POOL3D_OUTPUT_SMALL = ("Given input size: ({c}x{t}x{h}x{w}). Calculated output size: ({c}x{ot}x{oh}x{ow}). "
                       "Output size is too small")
ADAPTIVE3D_OUTPUT_SIZE = "adaptive_avg_pool3d: output_size must be 3"
ADAPTIVE3D_OUTPUT_NEGATIVE = ("adaptive_avg_pool3d: elements of output_size must be greater than "
                              "or equal to 0 but received {{{t}, {h},{w}}}")
ADAPTIVE3D_EMPTY = ("adaptive_avg_pool3d(): Expected input to have non-zero size for non-batch "
                    "dimensions, but input has sizes {size} with dimension {dim} being empty")
ADAPTIVE3D_RANK = "adaptive_avg_pool3d(): Expected 4D or 5D tensor, but got {size}"
ADAPTIVE3D_BACKWARD_EMPTY = ("adaptive_avg_pool3d_backward(): Expected grad_output to have non-zero size for "
                             "non-batch dimensions, but grad_output has sizes {size} with dimension {dim} "
                             "being empty")
ADAPTIVE_MAX_RANK = "adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: {size}"
ADAPTIVE_MAX_EMPTY = ("{fn}(): Expected input to have non-zero size for non-batch dimensions, but "
                      "input has sizes {size} with dimension {dim} being empty")
LRN_DIMS = "Expected 3D or higher dimensionality                          input (got {d} dimensions)"

# the argument parser of PyTorch's C++ bindings (_ops/arg_parser.py)
ARG_TYPE = "{name}(): argument '{arg}' (position {pos}) must be {type}, not {got}"
ARG_TYPE_KW = "{name}(): argument '{arg}' must be {type}, not {got}"
ARG_TOO_MANY = "{name}() takes {n} positional argument{s} but {m} {were} given"
ARG_MISSING = "{name}() missing {k} required positional arguments: {names}"
ARG_UNEXPECTED_KW = "{name}() got an unexpected keyword argument '{kw}'"
ARG_COMBINATION = ("{name}() received an invalid combination of arguments - got ({got}), but "
                   "expected one of:\n{signatures}")
ARG_INT_LIST_ELEMENT = ("{name}(): argument '{arg}' (position {pos}) must be tuple of ints, but found "
                        "element of type {got} at pos 0")
ARG_INT_LIST_UNPACK = ("{name}(): argument '{arg}' failed to unpack the object at pos {index} with error "
                       "\"type must be tuple of ints,but got {got}\"")
LAZY_SHAPE = ("Can't access the shape of an uninitialized parameter or buffer. This error usually "
              "happens in `load_state_dict` when trying to load an uninitialized parameter into an "
              "initialized one. Call `forward` to initialize the parameters before accessing their "
              "attributes.")
LAZY_SHARE_MEMORY = ("Can't share memory on an uninitialized parameter or buffer. Call `forward` "
                     "to initialize the parameters before calling `module.share_memory()`.")
LAZY_DATA_PARALLEL = ("Modules with uninitialized parameters can't be used with `DataParallel`. "
                      "Run a dummy forward pass to correctly initialize the modules")
LAZY_CONV_INPUT = ("Expected {unbatched}D (unbatched) or {batched}D (batched) input to {name}, but "
                   "got input of size: {size}")
BOOL_INPUTS_NOT_SUPPORTED = "Bool inputs not supported for {name}"
BOOL_INPUTS_NOT_SUPPORTED_RELU = "Boolean inputs not supported for relu"
OUTER_1D = "outer: Expected 1-D argument {arg}, but got {dim}-D"
STD_VAR_DOF = ("{name}(): degrees of freedom is <= 0. Correction should be strictly less than the "
               "reduction factor (input numel divided by output numel).")
W_EMBEDDING_BAG_ORDER = ("Argument order of nn.functional.embedding_bag was changed. Usage "
                         "`embedding_bag(weight, input, ...)` is deprecated, and should now be "
                         "`embedding_bag(input, weight, ...)`.")
EMBEDDING_BAG_PSW_SHAPE = ("embedding_bag: If per_sample_weights ({psw}) is not None, then it must "
                           "have the same shape as the input ({input})")
EMBEDDING_BAG_WEIGHT_DIM = "weight has to be a 2D Tensor, but got Tensor of dimension {d}"
EMBEDDING_BAG_2D_OFFSETS = ("if input is 2D, then offsets has to be None, as input is treated is a "
                            "mini-batch of fixed length sequences. However, found offsets of type "
                            "{type}")
EMBEDDING_BAG_OFFSETS_NONE = "offsets has to be a 1D Tensor but got None"
EMBEDDING_BAG_OFFSETS_DIM = "offsets has to be a 1D Tensor"
EMBEDDING_BAG_INPUT_DIM = "input has to be 1D or 2D Tensor, but got Tensor of dimension {d}"
EMBEDDING_BAG_MODE = "mode has to be one of sum, mean or max"
EMBEDDING_BAG_MAX_FREQ = "max mode does not support scaling the gradient by the frequency"
EMBEDDING_BAG_MAX_SPARSE = "max mode does not support sparse weights"
EMBEDDING_BAG_PSW_MODE = ("embedding_bag: per_sample_weights was not None. per_sample_weights is "
                          "only supported for mode='sum' (got mode='{mode}'). Please open a "
                          "feature request on GitHub.")
EMBEDDING_BAG_PADDING = ("padding_idx must be within the number of embeddings, -{n} through {last}, but got "
                         "{padding_idx}")
EMBEDDING_BAG_SCALAR_TYPES = ("Expected tensor for argument #1 '{name}' to have one of the "
                              "following scalar types: {types}; but got {got} instead (while "
                              "checking arguments for embedding_bag)")
EMBEDDING_BAG_SAME_TYPE = ("Expected tensor for argument #1 'weight' to have the same type as "
                           "tensor for argument #1 'per_sample_weights'; but type {a} does not "
                           "equal {b} (while checking arguments for embedding_bag)")
EMBEDDING_BAG_OFFSET0 = ("offsets[0] has to be 0, i.e., the first sequence in the mini-batch has "
                         "to start from position 0. However, got {got}\n[ {type}{{}} ]")
EMBEDDING_BAG_OFFSET_LAST = ("offsets[-1] can not be greater than input's length {n} but got "
                             "offsets[-1] of {got}")
EMBEDDING_BAG_INDEX = "Index {i} of input takes value {value} which is not in the valid range [0, {n})"
EMBEDDING_BAG_LAST_OFFSET = "include_last_offset: number of offset should be at least 1"
EMBEDDING_BAG_MODULE_PADDING = "padding_idx must be within num_embeddings"
EMBEDDING_BAG_MODULE_WEIGHT = "Shape of weight does not match num_embeddings and embedding_dim"
EMBEDDING_BAG_PRETRAINED_DIM = "Embeddings parameter is expected to be 2-dimensional"
INDICES_OUT_OF_DATA = "INDICES element is out of DATA bounds, id={id} axis_dim={n}"
REDUCTION_DIM_EMPTY = "{name}(): Expected reduction dim {dim} to have non-zero size."
REDUCTION_NUMEL_ZERO = "{name}(): Expected reduction dim to be specified for input.numel() == 0."
REDUCTION_SPECIFY_DIM = "Specify the reduction dim with the 'dim' argument."
ARG_REDUCTION_BOOL = "{name}(): does not support bool input"
AMINMAX_EMPTY = "aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity."
AMINMAX_DIM_EMPTY = "aminmax: Expected reduction dim {dim} to have non-zero size."
DERIVATIVE_NOT_IMPLEMENTED_QUOTED = "the derivative for '{name}' is not implemented."
PDIST_DIMS = "pdist only supports 2D tensors, got: {d}D"
PDIST_P = "pdist only supports non-negative p values"
PDIST_DTYPE = "pdist only supports floating-point dtypes"
W_GUMBEL_EPS = "`eps` parameter is deprecated and has no effect."
LINEAR_1D = "both arguments to linear need to be at least 1D, but they are {a}D and {b}D"
INDEX_SELECT_EMPTY_DIM = "index_select(): self indexing axis dim should be positive"
MAT2_MATRIX = "mat2 must be a matrix, got {dim}-D tensor"
INDEX_EMPTY_DIM = "index is out of bounds for dimension with size 0"
POSITIVE_BOOL = "The `+` operator, on a bool tensor is not supported."
MARGIN_INPUT = "Expected non-empty vector or matrix with optional 0-dim batch size, but got: {size}"
MULTI_MARGIN_TARGET = ("multi_margin_loss: target tensor should be 1-D with size equal to the "
                       "number of input samples (batch size). Expected target size [{n}], but got "
                       "{got}. Input has shape {input}.")
MULTI_MARGIN_WEIGHT_SIZE = "inconsistent weight size, expected {dim} but got {got}"
MULTI_MARGIN_P = "only p == 1 and p == 2 supported"
MULTI_MARGIN_WEIGHT_DIM = "weight must be one-dimensional"
MULTI_MARGIN_MODULE_WEIGHT = "MultiMarginLoss: expected weight to be None or 1D tensor, got {d}D instead"
MARGIN_TARGET_RANGE = "target out of range"
MULTILABEL_TARGET_SIZE = "inconsistent target size: {target} for input of size: {input}"
MULTILABEL_TARGET_RANGE = "argument #2 'target' is out of range"
TRIPLET_DISTANCE_REDUCTION = "{reduction} is not a valid value for reduction"
TRIPLET_DISTANCE_MODULE_MARGIN = ("TripletMarginWithDistanceLoss: expected margin to be greater "
                                  "than 0, got {margin} instead")
T_DIMS = "t() expects a tensor with <= 2 dimensions, but self is {dim}D"
DOT_1D = "1D tensors expected, but got {a}D and {b}D tensors"
GROUP_NORM_GROUPS = "Expected num groups to be greater than 0, got {groups}"
SUM_TO_SIZE = "size {{{size}}} is not expandable to size {{{src}}}."
TENSOR_SPLIT_INDICES_DTYPE = ("tensor_split expected tensor_indices_or_sections to have dtype of long, "
                              "but got {dtype}")
TENSOR_SPLIT_INDICES_DIMS = ("tensor_split expected tensor_indices_or_sections to be a "
                             "zero-dimensional or one-dimensional tensor, but got a tensor with {dims} dims")
TOPK_BOOL = "topk does not support bool dtypes on CPU"
INNER_LAST_DIM = "inner() the last dimension must match on both input tensors but got shapes {a} and {b}"
ITER_SAME_DTYPE = "Found dtype {got} but expected {expected}"
# index_add_ on CPU (dim 0 or last of a >1-D self, int64 index, alpha 1) runs scatter_add_
INDEX_ADD_SCATTER_BOUNDS = "index {index} is out of bounds for dimension {dim} with size {size}"
# index_add's meta function: dim must index source unless it is 0 (a 0-d source counts as 1-d there)
INDEX_ADD_DIM_SOURCE = "index_add_(): Indexing dim {dim} is out of bounds of the source tensor with dim {source}"
# AccumulateGrad's CHECK_RESULT (TORCH_WARN_ONCE) when an accumulated .grad breaks the layout contract
W_GRAD_LAYOUT_CONTRACT = ("grad and param do not obey the gradient layout contract. This is not an error, but "
                          "may impair performance.\ngrad.sizes() = {gsizes}, strides() = {gstrides}\n"
                          "param.sizes() = {psizes}, strides() = {pstrides}")
# ZeroTensors (at::_efficientzerotensor, e.g. sgn's gradient for real inputs): the ZeroTensor
# fallback refuses any mutable op; copy_ has its own check; a ZeroTensor has no data to expose
ZERO_TENSOR_IMMUTABLE = ("ZeroTensors are immutable. Please use the materialized zero tensor obtained "
                         "using .clone() if you want a mutable tensor.")
ZERO_TENSOR_COPY = ("ZeroTensors are immutable. Please materialize the tensor using `.clone()`, if you "
                    "want a mutable zero tensor.")
ZERO_TENSOR_NUMPY = " Cannot convert a ZeroTensor to numpy. Set force=True if you need the zero array."
ZERO_TENSOR_TOLIST = "tolist() shouldn't be called on a tensor with unallocated storage"
ZERO_TENSOR_DATA_PTR = "Attempted to access the data pointer on an invalid python storage."
NANMEAN_DTYPE = "nanmean(): expected input to have floating point or complex dtype but got {dtype}"
# AccumulateGrad::apply (std::logic_error): its leaf got a grad_fn after the graph was built (an
# in-place op on it or on its base, once requires_grad was switched off or for a view leaf)
LEAF_MOVED_INTO_GRAPH = "leaf variable has been moved into the graph interior"
