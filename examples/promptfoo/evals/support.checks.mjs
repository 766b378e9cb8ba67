// Inline javascript assertions imported from promptfooconfig.yaml; each gets (output, ctx) like promptfoo's (output, context).

/** defaultTest.assert[0] */
export function check_1(output, ctx) {
  const context = { vars: ctx.vars };
  const v = (() => {
    return (output.length < 600);
  })();
  return v;
}

/** tests[1].assert[2] */
export function check_2(output, ctx) {
  const context = { vars: ctx.vars };
  const v = (() => {
    const o = JSON.parse(output);
    return o.order_id === 'A-1042' && context.vars.topic === 'order';
  })();
  return v;
}
