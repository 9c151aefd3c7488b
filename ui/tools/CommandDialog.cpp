// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommandDialog.h"

#include "account/Account.h"
#include "presenters/ErrorPresenter.h"
#include "widgets/forms/DataFormWidget.h"

#include <QBoxLayout>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QXmppClient.h>

namespace Natter::Ui {

using Core::AdHocCommand;

namespace {

QString noteText(const AdHocCommand::Note &note)
{
    switch (note.type) {
    case AdHocCommand::Note::Type::Error:
        return CommandDialog::tr("Error: %1").arg(note.text);
    case AdHocCommand::Note::Type::Warning:
        return CommandDialog::tr("Warning: %1").arg(note.text);
    case AdHocCommand::Note::Type::Info:
        break;
    }
    return note.text;
}

// A result form as lines of "Label: value", multi-value fields one value per line.
QString resultLines(const QXmppDataForm &form)
{
    QStringList lines;
    if (!form.title().isEmpty())
        lines.append(form.title());
    for (const QXmppDataForm::Field &field : form.fields()) {
        if (field.type() == QXmppDataForm::Field::HiddenField)
            continue;
        const QString label = field.label().isEmpty() ? field.key() : field.label();
        const QVariant value = field.value();
        const QStringList values =
            value.typeId() == QMetaType::QStringList ? value.toStringList() : QStringList{value.toString()};
        if (values.size() <= 1)
            lines.append(label.isEmpty() ? values.value(0)
                                         : QStringLiteral("%1: %2").arg(label, values.value(0)));
        else
            lines.append(QStringLiteral("%1:\n  %2").arg(label, values.join(QStringLiteral("\n  "))));
    }
    return lines.join(u'\n');
}

} // namespace

CommandDialog::CommandDialog(Core::Account &account, const Core::CommandItem &command, QWidget *parent)
    : QDialog(parent)
    , m_command(new AdHocCommand(account.client(), command.jid, command.node, this))
    , m_notes(new QLabel(this))
    , m_form(new DataFormWidget(this))
    , m_result(new QPlainTextEdit(this))
    , m_backButton(new QPushButton(tr("&Back"), this))
    , m_nextButton(new QPushButton(tr("&Next"), this))
    , m_finishButton(new QPushButton(tr("&Finish"), this))
    , m_closeButton(new QPushButton(tr("&Cancel"), this))
{
    setObjectName(QStringLiteral("commandDialog"));
    setWindowTitle(command.name.isEmpty() ? command.node : command.name);
    m_notes->setObjectName(QStringLiteral("commandNotes"));
    m_result->setObjectName(QStringLiteral("commandResult"));
    m_backButton->setObjectName(QStringLiteral("commandBackButton"));
    m_nextButton->setObjectName(QStringLiteral("commandNextButton"));
    m_finishButton->setObjectName(QStringLiteral("commandFinishButton"));
    m_closeButton->setObjectName(QStringLiteral("commandCloseButton"));
    m_notes->setWordWrap(true);
    m_notes->setTextFormat(Qt::PlainText);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setReadOnly(true);
    m_result->hide();

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_backButton);
    buttons->addStretch(1);
    buttons->addWidget(m_closeButton);
    buttons->addWidget(m_nextButton);
    buttons->addWidget(m_finishButton);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_notes);
    layout->addWidget(m_form, 1);
    layout->addWidget(m_result, 1);
    layout->addLayout(buttons);
    resize(520, 480);

    connect(m_backButton, &QPushButton::clicked, this, [this] { proceed(AdHocCommand::Action::Prev); });
    connect(m_nextButton, &QPushButton::clicked, this, [this] { proceed(AdHocCommand::Action::Next); });
    connect(m_finishButton, &QPushButton::clicked, this, [this] {
        proceed(m_stage.actions.contains(AdHocCommand::Action::Complete) ? AdHocCommand::Action::Complete
                                                                         : m_stage.defaultAction);
    });
    connect(m_closeButton, &QPushButton::clicked, this, &CommandDialog::reject);
    start();
}

CommandDialog::~CommandDialog() = default;

QString CommandDialog::notesText() const
{
    return m_notes->text();
}

QString CommandDialog::resultText() const
{
    return m_result->toPlainText();
}

void CommandDialog::start()
{
    setBusy(true);
    m_notes->setText(tr("Asking %1…").arg(m_command->jid()));
    m_command->execute().then(
        this, [this](Core::Result<AdHocCommand::Stage> &&result) { show(std::move(result)); });
}

void CommandDialog::proceed(AdHocCommand::Action action)
{
    if (m_busy || m_status != AdHocCommand::Status::Executing)
        return;
    if (action != AdHocCommand::Action::Prev && !m_form->validate())
        return;
    setBusy(true);
    m_command->proceed(action, m_form->submission())
        .then(this, [this](Core::Result<AdHocCommand::Stage> &&result) { show(std::move(result)); });
}

void CommandDialog::show(Core::Result<AdHocCommand::Stage> &&result)
{
    setBusy(false);
    if (!Core::isOk(result)) {
        m_status = AdHocCommand::Status::Canceled;
        m_notes->setText(ErrorPresenter::describe(Core::errorOf(result)));
        m_form->hide();
        m_closeButton->setText(tr("&Close"));
        for (QPushButton *button : {m_backButton, m_nextButton, m_finishButton})
            button->hide();
        return;
    }
    m_stage = std::get<AdHocCommand::Stage>(result);
    m_status = m_stage.status;
    QStringList notes;
    for (const AdHocCommand::Note &note : m_stage.notes)
        notes.append(noteText(note));
    const bool executing = m_status == AdHocCommand::Status::Executing;
    if (notes.isEmpty() && !executing)
        notes.append(m_status == AdHocCommand::Status::Completed ? tr("Done.") : tr("Cancelled."));
    m_notes->setText(notes.join(u'\n'));
    m_notes->setVisible(!m_notes->text().isEmpty());
    const bool hasForm = m_stage.form.has_value();
    m_form->setVisible(executing && hasForm);
    if (executing && hasForm) {
        m_form->setForm(*m_stage.form);
        m_form->focusFirstField();
    }
    m_result->setVisible(!executing && hasForm);
    if (!executing && hasForm)
        m_result->setPlainText(resultLines(*m_stage.form));
    m_backButton->setVisible(executing && m_stage.actions.contains(AdHocCommand::Action::Prev));
    m_nextButton->setVisible(executing && m_stage.actions.contains(AdHocCommand::Action::Next));
    // Without a list of actions the one way on is executing again, which finishes.
    m_finishButton->setVisible(
        executing && (m_stage.actions.isEmpty() || m_stage.actions.contains(AdHocCommand::Action::Complete)));
    (m_stage.defaultAction == AdHocCommand::Action::Next ? m_nextButton : m_finishButton)->setDefault(true);
    m_closeButton->setText(executing ? tr("&Cancel") : tr("&Close"));
}

void CommandDialog::setBusy(bool busy)
{
    m_busy = busy;
    for (QPushButton *button : {m_backButton, m_nextButton, m_finishButton})
        button->setEnabled(!busy);
}

void CommandDialog::reject()
{
    // A session left open on the entity would wait there until it times out.
    if (m_status == AdHocCommand::Status::Executing)
        m_command->cancel();
    QDialog::reject();
}

} // namespace Natter::Ui
