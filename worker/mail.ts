/**
 * The development mailer: prints what would be sent. Production mail delivery plugs in here.
 */
export type Mail = { to: string; subject: string; text: string };

export async function sendMail(env: Env, mail: Mail) {
  const appEnv: string = env.APP_ENV;
  if (appEnv === "production") {
    console.warn(`No mail transport configured; not sending "${mail.subject}" to ${mail.to}`);
    return;
  }
  console.info(`\n[mail] To: ${mail.to}\n[mail] Subject: ${mail.subject}\n${mail.text}\n`);
}
