// /add url: fetches a web page, adds it to the corpus and indexes it (server
// managers only; checked here too, since server admins can override command
// permissions). Replies with the title, outlet and chunk count, or why not.
import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { chunkArticle } from '../../ingest/parse-thread.js';
import { IngestError } from '../../ingest/errors.js';
import { FetchError, parseHttpUrl } from '../../ingest/fetch-url.js';
import { truncate } from '../format.js';
import { langOf } from '../text.js';
import type { SlashCommand } from './command.js';
import { allowManagersOnly, isActionableForManagers } from './managers.js';

const said = {
  en: {
    added: (title: string, source: string, chunks: number) => `✅ Added **${title}**${source ? ` (${source})` : ''}: ${chunks} passages indexed.`,
    duplicate: (title: string) => `ℹ️ Already in the corpus: **${title}**. Nothing added.`,
    failed: (reason: string) => `⚠️ Not added: ${reason}`,
    urlsOnly: 'Give the web address of an article (http:// or https://); files are added on the server with `akhbar add`.',
  },
  fr: {
    added: (title: string, source: string, chunks: number) => `✅ Ajouté : **${title}**${source ? ` (${source})` : ''}, ${chunks} passages indexés.`,
    duplicate: (title: string) => `ℹ️ Déjà dans le corpus : **${title}**. Rien n’a été ajouté.`,
    failed: (reason: string) => `⚠️ Non ajouté : ${reason}`,
    urlsOnly: 'Donnez l’adresse web d’un article (http:// ou https://) ; les fichiers s’ajoutent sur le serveur avec `akhbar add`.',
  },
};

export const add: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName('add')
    .setNameLocalizations({ fr: 'ajouter' })
    .setDescription('Add a news article from its web address (server managers)')
    .setDescriptionLocalizations({ fr: 'Ajouter un article à partir de son adresse web (gestionnaires du serveur)' })
    .addStringOption((o) => o.setName('url').setDescription('The article’s address (http or https)').setDescriptionLocalizations({ fr: 'L’adresse de l’article (http ou https)' }).setRequired(true).setMaxLength(2_000))
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild),

  async execute(interaction, ctx) {
    const lang = langOf(interaction.locale);
    if (!(await allowManagersOnly(interaction, ctx))) return;
    const say = said[lang];
    const input = interaction.options.getString('url', true).trim();
    let url: string;
    try {
      // Web addresses only: a path would add a file of the bot's host for everyone to quote (files are for the CLI).
      url = parseHttpUrl(input).href;
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
      await interaction.reply({ content: say.failed(`${truncate(error.message, 1_500)} ${say.urlsOnly}`), flags: MessageFlags.Ephemeral });
      return;
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    let outcome;
    try {
      outcome = await ctx.engine.add([url]);
    } catch (error) {
      if (!(isActionableForManagers(error) || error instanceof FetchError || error instanceof IngestError)) throw error;
      if (isActionableForManagers(error)) ctx.logger.warn(`/add failed: ${error.message}`);
      await interaction.editReply({ content: say.failed(truncate(error.message, 1_500)) });
      return;
    }
    const failure = outcome.failures[0];
    if (failure) {
      await interaction.editReply({ content: say.failed(truncate(failure.message, 1_500)) });
      return;
    }
    const { status, article } = outcome.results[0]!;
    const title = truncate(article.title, 200);
    if (status === 'duplicate') {
      await interaction.editReply({ content: say.duplicate(title) });
      return;
    }
    ctx.logger.info(`added from Discord: ${article.file} (${url})`);
    await interaction.editReply({ content: say.added(title, truncate(article.source, 100), (await chunkArticle(article)).length) });
  },
};
