export const buttonVariants = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-500 disabled:bg-indigo-300",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 disabled:text-slate-400",
  danger: "border border-rose-300 bg-white text-rose-700 hover:bg-rose-50 disabled:text-rose-300",
} as const;

export const buttonClass = (variant: keyof typeof buttonVariants = "primary") =>
  `inline-flex min-h-10 items-center justify-center gap-2 rounded-md px-4 py-2 text-sm font-medium shadow-sm transition disabled:cursor-not-allowed ${buttonVariants[variant]}`;
