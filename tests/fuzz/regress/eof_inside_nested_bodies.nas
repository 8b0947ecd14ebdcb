model m(x: tensor) -> tensor {
  if x { repeat 2 { x = (