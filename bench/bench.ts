// placeholder until the benchmark lands
console.log('bench: not written yet');
